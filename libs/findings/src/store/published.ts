import type { FindingRecord } from '../finding.js';

/**
 * A stored record as it is once a publisher took it with this content hash,
 * or undefined when its content changed since it was sent: its newer
 * transition stays pending. Both stores write exactly this.
 */
export function publishedRecord(
  record: FindingRecord,
  contentHash: string,
  at: string,
): FindingRecord | undefined {
  if (record.contentHash !== contentHash) return undefined;
  return { ...record, pendingTransition: null, publishedAt: at, publishedHash: contentHash };
}
