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
import type { ScanResult } from './scan.js';

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
function toReported(record: FindingRecord, claimedElsewhere: ReadonlySet<string>): ScanFinding {
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
    transition: claimedElsewhere.has(record.id)
      ? 'unchanged'
      : (record.pendingTransition ?? 'unchanged'),
    contentHash: record.contentHash,
    ...(record.resolution ? { resolution: record.resolution } : {}),
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    ...(record.waiver ? { waiver: record.waiver } : {}),
  };
}

/**
 * Reconciles a scan against the state: each evaluated resource's findings
 * (new, updated, unchanged, reopened, suppressed, unsuppressed, resolved),
 * deletion notices, and — only when the scan read everything it was given —
 * resources of the covered scope that the inventory no longer holds. Each
 * batch of resources is read, reconciled and saved under their locks, so a
 * scan, a sweep or a worker sharing the state never reconciles them at once.
 * Returns what to report: every finding the scan saw or resolved, plus
 * transitions a crashed run left unpublished.
 */
export async function syncState(
  store: StateStore,
  result: ScanResult,
  options: SyncOptions,
): Promise<ScanFinding[]> {
  const { coverage } = result;
  const byResource = new Map<string, ScanFinding[]>();
  for (const f of result.findings) {
    const list = byResource.get(f.resourceId) ?? [];
    list.push(f);
    byResource.set(f.resourceId, list);
  }
  const touched = new Map<string, FindingRecord>();
  // Pending transitions another live run (a scan sharing the state) has claimed to report.
  const claimedElsewhere = new Set<string>();
  const claim = async (state: StateAccess, records: readonly FindingRecord[]) => {
    const pending = records.filter((r) => r.pendingTransition !== null).map((r) => r.id);
    const mine = await state.claim(pending);
    for (const id of pending) if (!mine.has(id)) claimedElsewhere.add(id);
  };
  const keep = (events: readonly TransitionEvent[]) => {
    for (const e of events) touched.set(e.finding.id, e.finding);
    return events.map((e) => e.finding);
  };

  // A record that could not be read may be the newest state of a resource whose older state
  // was read: judging by that older state could resolve a finding falsely. So an incomplete
  // read opens, updates and reopens findings but resolves none.
  const judgedRules = coverage.complete ? options.judgedRules : new Set<string>();
  const ids = [...coverage.observed.keys()];
  for (let start = 0; start < ids.length; start += BATCH) {
    const resources = ids.slice(start, start + BATCH).flatMap((id) => {
      const resource = coverage.observed.get(id);
      return resource ? [{ ...resource, id }] : [];
    });
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
        const observations = (byResource.get(resourceId) ?? []).map(toObservation);
        const waivers = new Map(
          (byResource.get(resourceId) ?? []).map((f) => [f.ruleId, f.waiver]),
        );
        batch.push(
          ...keep(
            reconcileResource({
              resource: ref,
              observations,
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
    options.onProgress?.(Math.min(start + BATCH, ids.length), ids.length);
  }

  const gone: { provider: string; resourceId: string; account?: string }[] = [...coverage.deleted];
  if (coverage.complete) {
    for (const scope of coverage.scopes.covered()) {
      for (const f of await store.openFindings(scope.provider)) {
        if (inScope(scope, f) && !coverage.observed.has(f.resourceId)) gone.push(f);
      }
    }
  }
  for (let start = 0; start < gone.length; start += BATCH) {
    const resources = gone.slice(start, start + BATCH);
    await store.withResources(resources, async (state) => {
      const resolved: FindingRecord[] = [];
      for (const resource of resources) {
        // Read again under the lock: another run may have seen the resource since.
        resolved.push(...keep(resolveDeleted(await state.findingsOf(resource), options.now)));
      }
      await state.save(resolved);
      await claim(state, resolved);
    });
  }

  // What a crashed run left unreported, unless a live run has it to report.
  const left = (await store.unpublished()).filter((record) => !touched.has(record.id));
  const mine = await store.claim(left.map((record) => record.id));
  for (const record of left) if (mine.has(record.id)) touched.set(record.id, record);
  return [...touched.values()].map((record) => toReported(record, claimedElsewhere));
}

/**
 * Records the reported transitions as taken, each batch of resources under
 * their locks: a run reconciling one of them meanwhile must not read it
 * before and save it after, bringing back a transition already reported.
 */
export async function markReported(
  store: StateStore,
  reported: readonly ScanFinding[],
  at: string,
): Promise<void> {
  const taken = reported.filter((f) => f.transition !== 'unchanged' && f.contentHash !== undefined);
  for (let start = 0; start < taken.length; start += BATCH) {
    const batch = taken.slice(start, start + BATCH);
    await store.withResources(batch, (state) =>
      state.markPublished(
        batch.map((f) => ({ id: f.id, contentHash: f.contentHash ?? '' })),
        at,
      ),
    );
  }
}
