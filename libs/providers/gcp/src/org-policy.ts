import type { InventoryContext } from '@drift-detective/resource-model';
import { orgPolicies } from './context.js';
import { isObject, pick, text } from './decode/values.js';

const PUBLIC_ACCESS_PREVENTION = 'constraints/storage.publicAccessPrevention';

/**
 * Whether `constraints/storage.publicAccessPrevention` is enforced on the bucket through its
 * ancestors, from the ORG_POLICY records the inventory holds.
 *
 * A boolean constraint is decided by the policy set lowest in the hierarchy: a project's
 * policy overrides its folder's and organization's; `restoreDefault` brings back the
 * constraint's default, which for this one is "not enforced".
 * https://cloud.google.com/resource-manager/docs/organization-policy/understanding-hierarchy
 * https://cloud.google.com/storage/docs/public-access-prevention
 * https://cloud.google.com/resource-manager/reference/rest/v1/Policy (booleanPolicy, restoreDefault)
 *
 * null when the bucket's ancestors are unknown or none of them has a policy for the constraint
 * in the inventory.
 */
export function publicAccessPreventionEnforced(
  ancestors: readonly string[] | null,
  context: InventoryContext,
): boolean | null {
  if (ancestors === null) return null;
  const byNode = orgPolicies(context);
  for (const ancestor of ancestors) {
    const policy = byNode
      .get(ancestor)
      ?.find((p) => text(p['constraint']) === PUBLIC_ACCESS_PREVENTION);
    if (policy === undefined) continue;
    if (isObject(pick(policy, 'restoreDefault'))) return false;
    const booleanPolicy = pick(policy, 'booleanPolicy');
    if (!isObject(booleanPolicy)) return null;
    const enforced = booleanPolicy['enforced'];
    // An empty booleanPolicy is enforced: false, omitted by proto3 JSON.
    if (enforced === undefined || enforced === null) return false;
    return typeof enforced === 'boolean' ? enforced : null;
  }
  return null;
}
