import {
  inScope,
  reconcileResource,
  resolveDeleted,
  type FindingRecord,
  type ResourceObservation,
  type Observation,
  type StateAccess,
  type StateStore,
  type TransitionEvent,
} from '@drift-detective/findings';
import type { ScanFinding } from './finding.js';
import { stopPoint, type ScanResult } from './scan.js';

/** Resources reconciled per transaction: a crash keeps whole batches or none of one. */
const BATCH = 500;

export interface SyncOptions {
  readonly now: string;
  /** Rule ids the scan judged (after --rules / --exclude-rules). */
  readonly judgedRules: ReadonlySet<string>;
  /** Every rule id of the bundle. */
  readonly bundleRules: ReadonlySet<string>;
  /** Reports progress through the state phase. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /** Aborted by SIGTERM or Ctrl-C: the sync stops between batches (each saved whole). */
  readonly signal?: AbortSignal | undefined;
}

function toObservation(f: ScanFinding): Observation {
  return {
    provider: f.provider,
    account: f.account,
    resourceId: f.resourceId,
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    message: f.message,
    details: f.details,
    frameworks: f.frameworks,
    remediation: f.remediation,
    region: f.region,
    resourceName: f.resourceName,
    resourceType: f.resourceType,
    kind: f.kind,
    tags: f.tags,
    observedAt: f.observedAt,
    change: f.change,
  };
}

/**
 * A stored finding as the scan reports it, with the transition a publisher
 * has not taken yet — unless another run still running has claimed it to
 * report: then this scan reports it unchanged.
 */
function toReported(record: FindingRecord, claimedElsewhere: boolean): ScanFinding {
  return {
    id: record.id,
    ruleId: record.ruleId,
    title: record.title,
    severity: record.severity as ScanFinding['severity'],
    status: record.status,
    provider: record.provider,
    account: record.account,
    region: record.region,
    resourceId: record.resourceId,
    resourceName: record.resourceName,
    resourceType: record.resourceType,
    kind: record.kind,
    message: record.message,
    details: record.details,
    frameworks: record.frameworks,
    remediation: record.remediation,
    observedAt: record.lastSeen,
    tags: record.tags,
    transition: claimedElsewhere ? 'unchanged' : (record.pendingTransition ?? 'unchanged'),
    contentHash: record.contentHash,
    ...(record.resolution ? { resolution: record.resolution } : {}),
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    ...(record.waiver ? { waiver: record.waiver } : {}),
  };
}

/** Open findings and unpublished records are read from the state a page at a time. */
const PAGE = 1_000;

/**
 * Reconciles a scan against the state: each evaluated resource's findings
 * (new, updated, unchanged, reopened, suppressed, unsuppressed, resolved),
 * deletion notices, and — only when the scan read everything it was given —
 * resources of the covered scope that the inventory no longer holds. Each
 * batch of resources is read, reconciled and saved under their locks, so a
 * scan, a sweep or a worker sharing the state never reconciles them at once.
 * What to report — every finding the scan saw or resolved, plus transitions
 * a crashed run left unpublished — is kept in the scan's workspace, read with
 * `reportedFindings`. Nothing grows in memory with the size of the estate.
 */
export async function syncState(
  store: StateStore,
  result: ScanResult,
  options: SyncOptions,
): Promise<void> {
  const { coverage } = result;
  const { states } = coverage;
  const claim = async (state: StateAccess, records: readonly FindingRecord[]) => {
    const pending = records.filter((r) => r.pendingTransition !== null).map((r) => r.id);
    const mine = await state.claim(pending);
    // Pending transitions another live run (a scan sharing the state) has claimed to report.
    for (const id of pending) if (!mine.has(id)) states.markClaimedElsewhere(id);
  };
  const keep = (events: readonly TransitionEvent[]) => {
    for (const e of events) states.keepReported(e.finding.id, e.finding);
    return events.map((e) => e.finding);
  };

  // A record that could not be read may be the newest state of a resource whose older state
  // was read: judging by that older state could resolve a finding falsely. So an incomplete
  // read opens, updates and reopens findings but resolves none.
  const judgedRules = coverage.complete ? options.judgedRules : new Set<string>();
  const total = states.resources;
  let done = 0;
  for (const resources of states.observedBatches(BATCH)) {
    await stopPoint(options.signal);
    const locks = resources.map((r) => ({ provider: r.provider, resourceId: r.id }));
    await store.withResources(locks, async (state) => {
      const batch: FindingRecord[] = [];
      const observed: ResourceObservation[] = [];
      for (const resource of resources) {
        const resourceId = resource.id;
        const ref = { provider: resource.provider, account: resource.account, resourceId };
        // An export older than what the state has seen of this resource changes nothing.
        const last = await state.lastObserved(ref);
        if (last !== undefined && last > resource.observedAt) continue;
        observed.push({ ...ref, observedAt: resource.observedAt });
        const findings = states.findingsOf<ScanFinding>(resource.seq);
        const waivers = new Map(findings.map((f) => [f.ruleId, f.waiver]));
        batch.push(
          ...keep(
            reconcileResource({
              resource: ref,
              observations: findings.map(toObservation),
              stored: await state.findingsOf(ref),
              judgedRules,
              bundleRules: options.bundleRules,
              now: options.now,
              observedAt: resource.observedAt,
              waiverFor: (o) => waivers.get(o.ruleId),
            }),
          ),
        );
      }
      await state.save(batch, observed);
      await claim(state, batch);
    });
    done += resources.length;
    options.onProgress?.(done, total);
  }

  const resolveGone = async (resources: readonly GoneResource[]) => {
    await store.withResources(resources, async (state) => {
      const resolved: FindingRecord[] = [];
      for (const resource of resources) {
        // Read again under the lock: another run may have seen the resource since.
        resolved.push(...keep(resolveDeleted(await state.findingsOf(resource), options.now)));
      }
      await state.save(resolved);
      await claim(state, resolved);
    });
  };
  for (const deleted of states.deletedBatches(BATCH)) {
    await stopPoint(options.signal);
    await resolveGone(deleted);
  }
  if (coverage.complete) {
    for (const scope of coverage.scopes.covered()) {
      let gone: GoneResource[] = [];
      for await (const open of pagesOf((after) =>
        store.openFindings(scope.provider, { after, limit: PAGE }),
      )) {
        for (const f of open) {
          if (inScope(scope, f) && !states.isObserved(f.resourceId)) gone.push(f);
        }
        if (gone.length >= BATCH) {
          await stopPoint(options.signal);
          await resolveGone(gone);
          gone = [];
        }
      }
      if (gone.length > 0) await resolveGone(gone);
    }
  }

  // What a crashed run left unreported, unless a live run has it to report.
  for await (const unpublished of pagesOf((after) => store.unpublished({ after, limit: PAGE }))) {
    const left = unpublished.filter((record) => !states.hasReported(record.id));
    const mine = await store.claim(left.map((record) => record.id));
    for (const record of left) if (mine.has(record.id)) states.keepReported(record.id, record);
  }
}

type GoneResource = { provider: string; resourceId: string; account?: string };

/** Pages of records ordered by id, each asked for after the last id of the one before. */
async function* pagesOf(
  page: (after: string | undefined) => Promise<FindingRecord[]>,
): AsyncGenerator<FindingRecord[]> {
  let after: string | undefined;
  for (;;) {
    const records = await page(after);
    if (records.length === 0) return;
    yield records;
    if (records.length < PAGE) return;
    after = records.at(-1)?.id;
  }
}

/** What the state sync kept to report, as the scan reports it. */
export function* reportedFindings(
  states: ScanResult['coverage']['states'],
): Generator<ScanFinding> {
  for (const batch of states.reportedBatches<FindingRecord>(BATCH)) {
    for (const { record, claimedElsewhere } of batch) yield toReported(record, claimedElsewhere);
  }
}

/**
 * Records the reported transitions as taken, each batch of resources under
 * their locks: a run reconciling one of them meanwhile must not read it
 * before and save it after, bringing back a transition already reported.
 */
export async function markReported(
  store: StateStore,
  reported: Iterable<ScanFinding>,
  at: string,
): Promise<void> {
  let batch: ScanFinding[] = [];
  const mark = async (taken: readonly ScanFinding[]) =>
    store.withResources(taken, (state) =>
      state.markPublished(
        taken.map((f) => ({ id: f.id, contentHash: f.contentHash ?? '' })),
        at,
      ),
    );
  for (const f of reported) {
    if (f.transition === 'unchanged' || f.contentHash === undefined) continue;
    batch.push(f);
    if (batch.length === BATCH) {
      await mark(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await mark(batch);
}
