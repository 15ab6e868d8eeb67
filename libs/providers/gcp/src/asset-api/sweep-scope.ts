import type { CoveredScope } from '@drift-detective/findings';
import { SUPPORTED_TYPES } from '../normalize/index.js';
import { parseSweepParent } from './parent.js';
import { sweptGcpTypes } from './sweep-types.js';

/**
 * The kinds a sweep of these types covers. A kind is covered only when every supported type
 * of that kind is swept (a project and a service account are both iam.binding), so a sweep
 * of projects alone never resolves a service account's findings.
 */
export function coveredKinds(types?: readonly string[]): Set<string> {
  const swept = new Set(sweptGcpTypes(types));
  const kinds = new Set<string>();
  for (const [type, kind] of Object.entries(SUPPORTED_TYPES)) {
    if (swept.has(type)) kinds.add(kind);
  }
  for (const [type, kind] of Object.entries(SUPPORTED_TYPES)) {
    if (!swept.has(type)) kinds.delete(kind);
  }
  return kinds;
}

/**
 * What a complete assetSweep of `parent` may resolve as deleted: provider gcp, every region
 * (listAssets answers for every location under the parent), the kinds of the swept types,
 * and as accounts the projects the sweep covers. A finding's account is its project's
 * number whenever the asset names its ancestors — listAssets always does (base.ts) — or the
 * project id written in the asset name.
 *
 * - `projects/X`: X (an id or a number), and the numbers in `projects`;
 * - a folder or an organization: exactly `projects`, the projects found under it. Never
 *   "every account": one installation may sweep several organizations or folders, and a
 *   sweep of one must not resolve another's findings — a false "resolved" is worse than a
 *   missed one. Without `projects` it resolves nothing.
 *
 * assetSweep's own `scope` fills `projects` with what it lists under the parent at the
 * sweep's snapshot; pass them here when building the scope apart.
 */
export function gcpSweepScope(
  parent: string,
  types?: readonly string[],
  projects: Iterable<string> = [],
): CoveredScope {
  const node = parseSweepParent(parent);
  const accounts = new Set(projects);
  if (node.kind === 'project') accounts.add(node.id);
  return { provider: 'gcp', accounts, regions: null, kinds: coveredKinds(types) };
}
