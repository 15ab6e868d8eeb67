import type { InventoryContext } from '@drift-detective/resource-model';
import type { AssetRecord } from './asset.js';
import type { JsonObject } from './decode/values.js';

/** An IAM_POLICY-only record waiting for the RESOURCE record of the same asset name. */
export interface PendingIamPolicy {
  readonly record: AssetRecord;
  readonly source: string;
  /** Set once a RESOURCE record (or the record itself) was normalized with it. */
  used: boolean;
}

const IAM_POLICIES = 'gcp.iamPolicies';
const ORG_POLICIES = 'gcp.orgPolicies';

/** The map the context holds under `key`, made empty on first use. */
export function contextMap<K, V>(context: InventoryContext, key: string): Map<K, V> {
  let map = context.get<Map<K, V>>(key);
  if (!(map instanceof Map)) {
    map = new Map();
    context.set(key, map);
  }
  return map;
}

/** IAM_POLICY-only records by asset name. */
export function iamPolicies(context: InventoryContext): Map<string, PendingIamPolicy> {
  return contextMap(context, IAM_POLICIES);
}

/**
 * ORG_POLICY parts by the hierarchy node they are set on, written the way `ancestors` spells
 * it ("projects/123", "folders/456", "organizations/789").
 */
export function orgPolicies(context: InventoryContext): Map<string, JsonObject[]> {
  return contextMap(context, ORG_POLICIES);
}

/**
 * "//cloudresourcemanager.googleapis.com/projects/123" → "projects/123": the asset names of
 * projects, folders and organizations use the numbers that `ancestors` lists.
 * https://cloud.google.com/asset-inventory/docs/resource-name-format
 */
export function hierarchyNode(assetName: string): string | null {
  const match =
    /^\/\/cloudresourcemanager\.googleapis\.com\/((?:projects|folders|organizations)\/[^/]+)$/.exec(
      assetName,
    );
  return match?.[1] ?? null;
}
