import { isObject, type JsonObject } from '../decode/values.js';

/**
 * A firewall rule sent beside a sweep page or a feed message only as context for the other
 * rules of its network: `{"networkContext": <asset>}`. The inventory collects its deny rules
 * (network-firewall.ts) and never judges it: it is judged where it comes as itself (its own
 * page, its own message). This wrapper is the adapter's own, not a Cloud Asset shape.
 */
export interface NetworkContextRecord {
  readonly networkContext: JsonObject;
}

export const networkContextRecord = (asset: JsonObject): NetworkContextRecord => ({
  networkContext: asset,
});

export function isNetworkContextRecord(value: unknown): value is NetworkContextRecord {
  return isObject(value) && isObject(value['networkContext']) && Object.keys(value).length === 1;
}
