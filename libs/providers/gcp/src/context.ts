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

/** IAM_POLICY-only records by asset name. */
export function iamPolicies(context: InventoryContext): Map<string, PendingIamPolicy> {
  let map = context.get<Map<string, PendingIamPolicy>>(IAM_POLICIES);
  if (!(map instanceof Map)) {
    map = new Map();
    context.set(IAM_POLICIES, map);
  }
  return map;
}

/**
 * ORG_POLICY parts by the hierarchy node they are set on, written the way `ancestors` spells
 * it ("projects/123", "folders/456", "organizations/789").
 */
export function orgPolicies(context: InventoryContext): Map<string, JsonObject[]> {
  let map = context.get<Map<string, JsonObject[]>>(ORG_POLICIES);
  if (!(map instanceof Map)) {
    map = new Map();
    context.set(ORG_POLICIES, map);
  }
  return map;
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
