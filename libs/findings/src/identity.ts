import { createHash } from 'node:crypto';

/** What identifies a finding: the same violation of the same resource is always the same finding. */
export interface FindingKey {
  readonly provider: string;
  readonly account: string;
  readonly resourceId: string;
  readonly ruleId: string;
}

/**
 * sha256(provider | account | resourceId | ruleId), hex, first 32 characters:
 * valid as an SCC findingId (alphanumeric, 1–32 characters), an ASFF Id suffix
 * and an Azure assessment key. Re-running a scan or replaying an event never
 * makes a second finding.
 */
export function findingId(key: FindingKey): string {
  return createHash('sha256')
    .update([key.provider, key.account, key.resourceId, key.ruleId].join('|'))
    .digest('hex')
    .slice(0, 32);
}
