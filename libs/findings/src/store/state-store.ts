import type { FindingRecord, FindingStatus, ResourceRef } from '../finding.js';

/**
 * Where findings live between runs. Every write is atomic: a crash leaves the
 * old state or the new one, never a mix. The default is one SQLite file
 * (SqliteStateStore); many workers would share PostgreSQL behind this same
 * interface.
 */
export interface StateStore {
  /**
   * The findings of one resource, in any status. Without an account (a deletion
   * notice names only the resource) every account's findings of that id.
   */
  findingsOf(
    resource: Omit<ResourceRef, 'account'> & { readonly account?: string },
  ): FindingRecord[];
  /** The open (ACTIVE or SUPPRESSED) findings of a provider. */
  openFindings(provider: string): FindingRecord[];
  /** Every finding, or those with one status, ordered by id. */
  list(status?: FindingStatus): FindingRecord[];
  /** Findings whose last transition no publisher has taken yet. */
  unpublished(): FindingRecord[];
  /** Writes the records in one transaction: all of them or none. */
  save(records: readonly FindingRecord[]): void;
  /** Records that a publisher took these findings as they are now. */
  markPublished(ids: readonly string[], at: string): void;
  close(): void;
}
