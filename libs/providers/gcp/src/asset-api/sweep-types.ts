import { isSupportedType, SUPPORTED_TYPES } from '../normalize/index.js';

/** Every asset type a sweep reads by default: the types the inventory normalizes. */
export const SWEEP_TYPES: readonly string[] = Object.keys(SUPPORTED_TYPES);

export const PROJECT_TYPE = 'cloudresourcemanager.googleapis.com/Project';
export const BUCKET_TYPE = 'storage.googleapis.com/Bucket';

/**
 * The assets that carry ORG_POLICY content: organization policies are set on the
 * organization, folders and projects.
 * https://cloud.google.com/asset-inventory/docs/supported-asset-types#analyzable_asset_types
 * https://cloud.google.com/resource-manager/docs/organization-policy/understanding-hierarchy
 */
export const ORG_POLICY_TYPES: readonly string[] = [
  'cloudresourcemanager.googleapis.com/Organization',
  'cloudresourcemanager.googleapis.com/Folder',
  PROJECT_TYPE,
];

/**
 * The asset types of a sweep, deduplicated in the order given (default: every supported
 * type). listAssets reads asset_types as RE2 patterns; only exact supported names are taken,
 * so a typo fails here, naming it, instead of silently sweeping nothing.
 * https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#listassetsrequest
 */
export function sweptGcpTypes(types: readonly string[] = SWEEP_TYPES): string[] {
  if (types.length === 0) throw new RangeError('a sweep needs at least one asset type');
  for (const type of types) {
    if (!isSupportedType(type)) {
      throw new TypeError(
        `cannot sweep asset type ${JSON.stringify(type)}: a sweep reads ${SWEEP_TYPES.join(', ')}`,
      );
    }
  }
  return [...new Set(types)];
}

/**
 * Whether these types are judged with the organization policies above them: a bucket's public
 * access prevention may be enforced by `constraints/storage.publicAccessPrevention` on its
 * project, folder or organization (org-policy.ts; https://cloud.google.com/storage/docs/public-access-prevention).
 */
export function needsOrgPolicies(types: readonly string[]): boolean {
  return types.includes(BUCKET_TYPE);
}
