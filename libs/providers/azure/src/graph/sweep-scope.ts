import type { CoveredScope } from '@drift-detective/findings';
import { SUPPORTED_TYPES, T } from '../types.js';
import { sweepTypes } from './sweep-plan.js';

/** Kinds that sweeping a type covers beyond its own: a storage account brings its containers. */
const COVERED_WITH: Readonly<Record<string, readonly string[]>> = {
  [T.storageAccount]: [T.blobContainer],
};

/**
 * What a resourceGraphSweep of one subscription with the same types covers,
 * for resolving deletions: that subscription, every region (Resource Graph
 * answers for the whole subscription), and the kinds of the swept types. A
 * kind is covered only when every supported type of that kind is swept (a
 * container is a storage.bucket too, read with its account), so a sweep of
 * accounts alone never resolves another type's findings. Kind "other" is
 * never covered. Tenant-level role definitions (built-in roles, account "")
 * lie outside the subscription, so they never resolve either.
 */
export function sweepScopeOf(subscription: string, types?: readonly string[]): CoveredScope {
  if (subscription.trim() === '') throw new TypeError('sweepScopeOf needs the subscription id');
  const swept = sweepTypes(types);
  const covered = new Set(swept.flatMap((type) => [type, ...(COVERED_WITH[type] ?? [])]));
  const kinds = new Set<string>();
  for (const type of covered) {
    const kind = SUPPORTED_TYPES[type];
    if (kind !== undefined && kind !== 'context') kinds.add(kind);
  }
  for (const [type, kind] of Object.entries(SUPPORTED_TYPES)) {
    if (kind !== 'context' && !covered.has(type)) kinds.delete(kind);
  }
  // Resource Graph writes subscription ids in lower case; a caller may not.
  const accounts = new Set([subscription, subscription.toLowerCase()]);
  return { provider: 'azure', accounts, regions: null, kinds };
}
