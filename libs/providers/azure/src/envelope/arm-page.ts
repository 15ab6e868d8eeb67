import { isObject, type JsonObject } from '../decode/json.js';

/**
 * Keys of an ARM list page: `value` and, when more pages follow, `nextLink`.
 * https://learn.microsoft.com/en-us/rest/api/azure/#async-operations-throttling-and-paging
 * https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/resource-api-reference.md#get-resource
 */
const PAGE_KEYS = new Set(['value', 'nextLink', '@odata.nextLink']);

/** Whether an object is an ARM list page: `value` a list, nothing but paging keys beside it. */
export function isArmPage(value: unknown): value is JsonObject & { value: unknown[] } {
  return (
    isObject(value) &&
    Array.isArray(value['value']) &&
    Object.keys(value).every((key) => PAGE_KEYS.has(key))
  );
}

/** Whether an object looks like one ARM resource: an ARM id and a "Namespace/type". */
export function looksLikeArmResource(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { id, type } = value;
  return (
    typeof id === 'string' &&
    /^\/(subscriptions|providers)\//i.test(id) &&
    typeof type === 'string' &&
    /^[A-Za-z][\w.-]*\/[A-Za-z]/.test(type)
  );
}
