import { existsSync } from 'node:fs';
import { activeWaiver, loadWaivers, WaiverFileError, type Waiver } from '@drift-detective/findings';
import type { ScanFinding } from './scan/finding.js';
import { UsageError } from './usage.js';

/** The waiver file of a policy repo, read when it exists and no other is named. */
export const DEFAULT_WAIVERS = 'policies/waivers.yaml';

/** Loads --waivers (which must exist) or the default file (which may not). */
export async function waiversFrom(flag: string | undefined): Promise<Waiver[]> {
  const file = flag ?? DEFAULT_WAIVERS;
  if (flag === undefined && !existsSync(file)) return [];
  if (!existsSync(file)) throw new UsageError(`waiver file ${file} does not exist`);
  try {
    return await loadWaivers(file);
  } catch (error) {
    if (error instanceof WaiverFileError) throw new UsageError(error.message);
    throw error;
  }
}

/** The waiver that suppresses a finding at `at`, in the shape findings carry. */
export function waiverLookup(waivers: readonly Waiver[], at: Date) {
  if (waivers.length === 0) return undefined;
  return (
    f: Pick<ScanFinding, 'ruleId' | 'resourceId' | 'account' | 'tags'>,
  ): ScanFinding['waiver'] => {
    const w = activeWaiver(
      waivers,
      { ruleId: f.ruleId, resourceId: f.resourceId, account: f.account, tags: f.tags },
      at,
    );
    return w && { rule: w.rule, reason: w.reason, owner: w.owner, expires: w.expires };
  };
}
