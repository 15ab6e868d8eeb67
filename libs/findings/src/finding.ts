/**
 * A finding is a story, not a snapshot: one per (provider, account, resource,
 * rule), kept across scans, events and sweeps with the status it has now and
 * how it got there.
 */

export const FINDING_STATUSES = ['ACTIVE', 'RESOLVED', 'SUPPRESSED'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Why a finding resolved. */
export type Resolution = 'compliant' | 'deleted' | 'rule-removed';

/** What happened to a finding in one reconcile. */
export const TRANSITIONS = [
  'new',
  'updated',
  'unchanged',
  'resolved',
  'reopened',
  'suppressed',
  'unsuppressed',
] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** The resource a finding is about. */
export interface ResourceRef {
  readonly provider: string;
  readonly account: string;
  readonly resourceId: string;
}

/** A field a change touched, before → after (from a change event's diff). */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** The change that caused a violation, when the source says: who, when, which fields. */
export interface CausingChange {
  readonly changedBy?: string | undefined;
  readonly changedAt?: string | undefined;
  readonly changeType?: string | undefined;
  readonly fields?: readonly FieldChange[] | undefined;
  readonly relatedEvents?: readonly string[] | undefined;
}

/** One violation as observed now: everything a finding shows, without its history. */
export interface Observation extends ResourceRef {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  readonly remediation: string;
  readonly region: string | null;
  readonly resourceName: string;
  readonly resourceType: string;
  readonly kind: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly observedAt: string;
  readonly change?: CausingChange | undefined;
}

/** The waiver that suppresses a finding, as recorded on it. */
export interface WaiverRef {
  readonly rule: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
}

export interface FindingRecord extends Omit<Observation, 'observedAt'> {
  readonly id: string;
  /**
   * When the resource state this finding reflects was observed (absent in
   * records written before it was kept). A later reconcile of an older state
   * — a redelivered, out-of-order event — changes nothing.
   */
  readonly observedAt?: string | undefined;
  readonly status: FindingStatus;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** When status or content last changed. */
  readonly lastChanged: string;
  readonly resolvedAt: string | null;
  readonly resolution: Resolution | null;
  readonly waiver: WaiverRef | null;
  /** Hash of what a hub shows (status, severity, message, details): what "updated" compares. */
  readonly contentHash: string;
  /**
   * The transition not yet published. Set in the same transaction that changes
   * the finding, cleared only once a publisher took it: a crash in between
   * re-publishes it on the next run instead of losing it.
   */
  readonly pendingTransition: Transition | null;
  readonly publishedAt: string | null;
  readonly publishedHash: string | null;
}
