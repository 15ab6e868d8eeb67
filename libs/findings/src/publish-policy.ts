import type { FindingRecord } from './finding.js';

/** Hubs drop findings they have not heard of for a while (Security Hub after 90 days): re-send before that. */
export const DEFAULT_REFRESH_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Only transitions are published; an unchanged open finding is re-sent only
 * once its last publication is older than the refresh age.
 */
export function needsPublish(
  finding: FindingRecord,
  now: Date,
  refreshDays = DEFAULT_REFRESH_DAYS,
): boolean {
  if (finding.pendingTransition !== null) return true;
  if (finding.status === 'RESOLVED') return false;
  if (finding.publishedAt === null) return true;
  return now.getTime() - Date.parse(finding.publishedAt) >= refreshDays * DAY_MS;
}
