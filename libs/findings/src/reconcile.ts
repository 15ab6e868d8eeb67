import { contentHash } from './content-hash.js';
import type {
  FindingRecord,
  FindingStatus,
  Observation,
  Resolution,
  ResourceRef,
  Transition,
  WaiverRef,
} from './finding.js';
import { findingId } from './identity.js';

/** One finding after a reconcile, and what happened to it. */
export interface TransitionEvent {
  readonly transition: Transition;
  readonly finding: FindingRecord;
}

export interface ReconcileInput {
  readonly resource: ResourceRef;
  /** The violations of this resource observed now (one per rule). */
  readonly observations: readonly Observation[];
  /** What the state holds for this resource, in any status. */
  readonly stored: readonly FindingRecord[];
  /**
   * Rule ids this evaluation judged. A stored finding of another rule is left
   * alone (a scan limited with --rules must not resolve the rest)…
   */
  readonly judgedRules: ReadonlySet<string>;
  /** …unless its rule is no longer in the bundle at all: then it resolves as rule-removed. */
  readonly bundleRules: ReadonlySet<string>;
  readonly now: string;
  /** When the evaluated resource state was observed: an older state than the stored one is ignored. */
  readonly observedAt?: string | undefined;
  /** The active waiver for a violation, if any. */
  readonly waiverFor: (observation: Observation) => WaiverRef | undefined;
}

const isOpen = (status: FindingStatus) => status !== 'RESOLVED';

/**
 * The transition to publish: a change replaces what is pending, but a finding
 * no hub has seen yet stays "new" until it is published (or resolves), and a
 * content update keeps a pending reopen or unsuppress: the hub must still be
 * told to take the finding out of its resolved or suppressed workflow.
 */
function pending(stored: FindingRecord | undefined, transition: Transition): Transition | null {
  const before = stored?.pendingTransition ?? null;
  if (transition === 'unchanged') return before;
  if (before === 'new' && transition !== 'resolved') return 'new';
  if (transition === 'updated' && (before === 'reopened' || before === 'unsuppressed')) {
    return before;
  }
  return transition;
}

function fromObservation(
  observation: Observation,
  stored: FindingRecord | undefined,
  waiver: WaiverRef | undefined,
  now: string,
): TransitionEvent {
  const status: FindingStatus = waiver ? 'SUPPRESSED' : 'ACTIVE';
  const hash = contentHash({
    status,
    severity: observation.severity,
    title: observation.title,
    message: observation.message,
    details: observation.details,
    waived: waiver !== undefined,
  });
  let transition: Transition;
  if (!stored) transition = 'new';
  else if (stored.status === 'RESOLVED') transition = 'reopened';
  else if (stored.status === 'ACTIVE' && status === 'SUPPRESSED') transition = 'suppressed';
  else if (stored.status === 'SUPPRESSED' && status === 'ACTIVE') transition = 'unsuppressed';
  else if (stored.contentHash !== hash) transition = 'updated';
  else transition = 'unchanged';

  const { observedAt, change, ...fields } = observation;
  const finding: FindingRecord = {
    ...fields,
    id: findingId(observation),
    observedAt,
    status,
    firstSeen: stored?.firstSeen ?? now,
    lastSeen: now,
    lastChanged: transition === 'unchanged' ? (stored?.lastChanged ?? now) : now,
    resolvedAt: null,
    resolution: null,
    waiver: waiver ?? null,
    // The change that caused the violation: kept from when it opened, unless a new one reopened it.
    change:
      transition === 'unchanged' || transition === 'updated' ? (stored?.change ?? change) : change,
    contentHash: hash,
    pendingTransition: pending(stored, transition),
    publishedAt: stored?.publishedAt ?? null,
    publishedHash: stored?.publishedHash ?? null,
  };
  return { transition, finding };
}

/** Resolves an open finding; RESOLVED ones are returned as they are. */
export function resolve(
  stored: FindingRecord,
  resolution: Resolution,
  now: string,
  observedAt: string = now,
): TransitionEvent | undefined {
  if (!isOpen(stored.status)) return undefined;
  const hash = contentHash({
    status: 'RESOLVED',
    severity: stored.severity,
    title: stored.title,
    message: stored.message,
    details: stored.details,
    waived: false,
  });
  return {
    transition: 'resolved',
    finding: {
      ...stored,
      observedAt,
      status: 'RESOLVED',
      lastChanged: now,
      resolvedAt: now,
      resolution,
      waiver: null,
      contentHash: hash,
      pendingTransition: pending(stored, 'resolved'),
    },
  };
}

/**
 * The transitions of one resource evaluated now: new, updated, unchanged,
 * reopened (same id as before, never a second finding), suppressed,
 * unsuppressed, and resolved for what no longer violates.
 */
export function reconcileResource(input: ReconcileInput): TransitionEvent[] {
  const observedAt = input.observedAt;
  if (
    observedAt !== undefined &&
    input.stored.some((f) => f.observedAt !== undefined && f.observedAt > observedAt)
  ) {
    return []; // the state already reflects a newer observation of this resource
  }
  const storedById = new Map(input.stored.map((f) => [f.id, f]));
  const events: TransitionEvent[] = [];
  const seen = new Set<string>();
  for (const observation of input.observations) {
    const id = findingId(observation);
    seen.add(id);
    events.push(
      fromObservation(observation, storedById.get(id), input.waiverFor(observation), input.now),
    );
  }
  for (const stored of input.stored) {
    if (seen.has(stored.id) || !isOpen(stored.status)) continue;
    let resolution: Resolution | undefined;
    if (!input.bundleRules.has(stored.ruleId)) resolution = 'rule-removed';
    else if (input.judgedRules.has(stored.ruleId)) resolution = 'compliant';
    if (!resolution) continue;
    const event = resolve(stored, resolution, input.now, observedAt ?? input.now);
    if (event) events.push(event);
  }
  return events;
}

/**
 * A deleted resource: every open finding of it resolves. With the time of the
 * deletion, a resource seen after it (deleted, then recreated under the same
 * id, and the deletion delivered late) keeps its findings.
 */
export function resolveDeleted(
  stored: readonly FindingRecord[],
  now: string,
  deletedAt?: string,
): TransitionEvent[] {
  if (
    deletedAt !== undefined &&
    stored.some((f) => f.observedAt !== undefined && f.observedAt > deletedAt)
  ) {
    return [];
  }
  return stored.flatMap((f) => resolve(f, 'deleted', now, deletedAt ?? now) ?? []);
}
