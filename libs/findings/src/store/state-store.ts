import type { FindingRecord, FindingStatus, ResourceRef } from '../finding.js';

/** A finding as a publisher took it: its id and the content it had then. */
export interface PublishedFinding {
  readonly id: string;
  readonly contentHash: string;
}

/** When a resource's state was observed (a capture time, a deletion time). */
export interface ResourceObservation extends ResourceRef {
  readonly observedAt: string;
}

/** How far a sweep got: saved with the findings of the page it ends. */
export interface SweepCheckpoint {
  readonly sweepId: string;
  /** The reader's cursor after the page: a restart reads from here. */
  readonly cursor: string;
  /** Resource ids the page held (deleted ones excluded). */
  readonly seen: readonly string[];
  /** Records of the page that could not be judged: the sweep is then incomplete. */
  readonly skipped: number;
  readonly at: string;
  /** When the sweep started; kept from its first saved page. */
  readonly startedAt?: string | undefined;
}

/** A sweep's saved progress. */
export interface SweepProgress {
  readonly cursor: string;
  /** Records skipped over every saved page of the sweep. */
  readonly skipped: number;
  /** When the sweep started (null in checkpoints written before it was kept). */
  readonly startedAt: string | null;
}

/**
 * A page of records ordered by id: those after `after` (from the start when
 * undefined), at most `limit`. Reading page after page keeps memory to a page
 * however many records the state holds.
 */
export interface RecordPage {
  readonly after?: string | undefined;
  readonly limit: number;
}

/** A resource as a lock names it: deletion notices know no account, so none is part of it. */
export interface LockedResource {
  readonly provider: string;
  readonly resourceId: string;
}

/**
 * The lock key of a resource. Ids are folded to lower case: where a provider's
 * ids ignore case (Azure's ARM ids) two spellings must take one lock, and
 * elsewhere folding only makes two distinct resources take turns.
 */
export function resourceLockKey(resource: LockedResource): string {
  return `${resource.provider}|${resource.resourceId.toLowerCase()}`;
}

/**
 * What reads and writes a state: the whole of it (StateStore) or the view a
 * `withResources` call lends while it holds its locks.
 */
export interface StateAccess {
  /**
   * The findings of one resource, in any status. Without an account (a deletion
   * notice names only the resource) every account's findings of that id. With
   * idCaseInsensitive (a provider whose ids ignore case, as Azure's ARM ids
   * do) an id spelled in another case finds them too.
   */
  findingsOf(
    resource: Omit<ResourceRef, 'account'> & {
      readonly account?: string;
      readonly idCaseInsensitive?: boolean | undefined;
    },
  ): Promise<FindingRecord[]>;
  /**
   * The open (ACTIVE or SUPPRESSED) findings of a provider, ordered by id; with
   * a page, at most `limit` of them with ids after `after`.
   */
  openFindings(provider: string, page?: RecordPage): Promise<FindingRecord[]>;
  /** Every finding, or those with one status, ordered by id. */
  list(status?: FindingStatus): Promise<FindingRecord[]>;
  /** Findings whose last transition no publisher has taken yet, ordered by id; paged as openFindings. */
  unpublished(page?: RecordPage): Promise<FindingRecord[]>;
  /**
   * Writes the records, and the observation times of the resources they were
   * judged from (kept only when newer), in one transaction: all or none.
   */
  save(records: readonly FindingRecord[], observed?: readonly ResourceObservation[]): Promise<void>;
  /** The newest observation time recorded for a resource, if any. */
  lastObserved(resource: ResourceRef): Promise<string | undefined>;
  /**
   * Records that a publisher took these findings as they were sent: a finding
   * whose content changed since keeps its newer transition pending. Their
   * claims end.
   */
  markPublished(sent: readonly PublishedFinding[], at: string): Promise<void>;
  /**
   * Claims the pending transitions of these findings for this run to send, and
   * answers which of them it may send: those it now claims, and those with
   * nothing pending. A transition another run still running has claimed is
   * that run's to send — a scan reports its transitions after it let go of
   * their locks — so no transition goes out twice. A run's claims end with it
   * (or when it marks them published); a dead run's are free to take.
   */
  claim(ids: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Writes a sweep page's findings and its checkpoint in one transaction: a
   * crash keeps the page and its checkpoint, or neither.
   */
  savePage(
    records: readonly FindingRecord[],
    checkpoint: SweepCheckpoint,
    observed?: readonly ResourceObservation[],
  ): Promise<void>;
  /** Where a sweep got to, or undefined when it never saved a page (or was cleared). */
  sweepProgress(sweepId: string): Promise<SweepProgress | undefined>;
  /** The open findings of a provider whose resource the sweep has not seen, ordered by id. */
  unseenOpenFindings(sweepId: string, provider: string): Promise<FindingRecord[]>;
  /** Forgets a finished sweep's checkpoint and seen resources. */
  clearSweep(sweepId: string): Promise<void>;
  /**
   * Runs `work` while no other run — in this process or any other sharing the
   * state — works on these resources: from reading their findings, through
   * saving and publishing them, no one else reads or changes them. Resources
   * are locked in one order (their keys sorted), so two runs never deadlock.
   * `work` must do its reads and writes through the access it is lent, and
   * must not ask for more resources from inside (that would break the order).
   */
  withResources<T>(
    resources: readonly LockedResource[],
    work: (state: StateAccess) => Promise<T>,
  ): Promise<T>;
}

/**
 * Where findings live between runs. Every write is atomic: a crash leaves the
 * old state or the new one, never a mix. The default is one SQLite file
 * (SqliteStateStore), written by one process at a time; many workers share
 * PostgreSQL (PostgresStateStore) behind this same interface.
 */
export interface StateStore extends StateAccess {
  /** What the state is, for logs and errors: a file path, or a URL without its password. */
  readonly location: string;
  /** The driver in use ("better-sqlite3", "node:sqlite", "pg"), for logs. */
  readonly driver: string;
  /**
   * Runs `work` as the one run sweeping `sweepId` (a shard: an account and
   * region, a subscription, a project), or answers `undefined` at once when
   * another run — here or in another process — is sweeping it: two runs of one
   * sweep would write one checkpoint from two readers. The lease ends with the
   * work, or with its process.
   */
  withSweepLease<T>(sweepId: string, work: () => Promise<T>): Promise<T | undefined>;
  close(): Promise<void>;
}
