import { waiverRefLookup, type Waiver } from '@drift-detective/findings';
import type { ScanFinding } from './scan/finding.js';

export { DEFAULT_WAIVERS, waiversFrom } from '@drift-detective/pipeline';

/** The waiver that suppresses a finding at `at`, in the shape findings carry. */
export function waiverLookup(
  waivers: readonly Waiver[],
  at: Date,
):
  | ((f: Pick<ScanFinding, 'ruleId' | 'resourceId' | 'account' | 'tags'>) => ScanFinding['waiver'])
  | undefined {
  return waiverRefLookup(waivers, () => at);
}
