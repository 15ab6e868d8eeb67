import type { IamBinding } from '@drift-detective/resource-model';
import { compareText, isObject, repeatedStrings, sortedUnique, text } from './decode/values.js';

/**
 * The bindings of an IAM policy, sorted by role then condition, members sorted.
 * https://cloud.google.com/iam/docs/reference/rest/v1/Policy
 *
 * - no policy at all → null (unknown: the inventory did not say);
 * - a policy without `bindings` → [] (an empty policy is `{"etag": "ACAB"}`: proto3 JSON omits
 *   empty lists, https://protobuf.dev/programming-guides/json/); `bindings: null` → null;
 * - any binding that cannot be read (no role, members that are not strings, a condition
 *   without an expression) → null for the whole policy: dropping one binding could hide an
 *   `allUsers` grant, which would read as compliant.
 */
export function readBindings(policy: unknown): IamBinding[] | null {
  if (!isObject(policy)) return null;
  const bindings = policy['bindings'];
  if (bindings === undefined) return [];
  if (!Array.isArray(bindings)) return null;
  const out: IamBinding[] = [];
  for (const binding of bindings) {
    const read = readBinding(binding);
    if (read === null) return null;
    out.push(read);
  }
  return out.sort(
    (a, b) => compareText(a.role, b.role) || compareText(a.condition ?? '', b.condition ?? ''),
  );
}

function readBinding(binding: unknown): IamBinding | null {
  if (!isObject(binding)) return null;
  const role = text(binding['role']);
  const members = repeatedStrings(binding['members']);
  if (role === null || members === null) return null;
  const condition = binding['condition'];
  let expression: string | null = null;
  if (condition !== undefined && condition !== null) {
    // https://cloud.google.com/iam/docs/reference/rest/v1/Policy#Binding (condition: google.type.Expr)
    expression = isObject(condition) ? text(condition['expression']) : null;
    if (expression === null) return null;
  }
  return { role, members: sortedUnique(members), condition: expression };
}
