import {
  inScope,
  resolveDeleted,
  type CoveredScope,
  type FindingRecord,
  type Observation,
  type TransitionEvent,
} from '@drift-detective/findings';
import { PolicyEngineError } from '@drift-detective/policy-engine';
import { NormalizeError, type Resource } from '@drift-detective/resource-model';
import {
  countTransitions,
  describe,
  evaluate,
  normalizeDocument,
  observationOf,
  publish,
  publishPending,
  reconcile,
  wire,
  type Normalized,
  type PipelineDeps,
  type Wired,
} from './core.js';
import type { SweepPage, SweepReaderFactory } from './interfaces.js';

export interface SweepProgressReport {
  /** Pages saved by this run. */
  readonly pages: number;
  /** Resources judged by this run. */
  readonly resources: number;
}

export interface SweepOptions {
  /** Names the sweep: a run with the same id resumes after its last saved page. */
  readonly sweepId: string;
  /** What the sweep covers: only open findings inside it can resolve as deleted. */
  readonly scope: CoveredScope;
  readonly onProgress?: ((progress: SweepProgressReport) => void) | undefined;
  /** Stops the sweep between pages; an aborted sweep resolves nothing and resumes later. */
  readonly signal?: AbortSignal | undefined;
}

export interface SweepSummary extends SweepProgressReport {
  /** The cursor this run started after (null: from the beginning). */
  readonly resumedAfter: string | null;
  /** Records that could not be judged, over the whole sweep (resumed runs included). */
  readonly skipped: number;
  /** Whether the reader ended and the unseen resources of the scope were resolved. */
  readonly completed: boolean;
  /** Findings resolved because their resource was not seen. */
  readonly resolvedDeleted: number;
  /** Another run was sweeping the same sweep id (a shard): this one did nothing. */
  readonly sweptElsewhere?: boolean | undefined;
}

/**
 * Sweep mode: streams the pages of a full inventory (never the whole of it in
 * memory), saves each page's findings with its checkpoint in one transaction,
 * publishes them, and — only when the reader ended and every record was
 * judged — resolves the open findings of the scope whose resource it never saw.
 */
export async function runSweep(
  openReader: SweepReaderFactory,
  deps: PipelineDeps,
  options: SweepOptions,
): Promise<SweepSummary> {
  // One run per sweep id at a time, across every process sharing the state.
  const leased = await deps.store.withSweepLease(options.sweepId, () =>
    sweepLeased(openReader, deps, options),
  );
  if (leased) return leased;
  deps.logger?.warn(
    { sweepId: options.sweepId },
    'another run is sweeping this scope: skipped, it resolves what it does not see',
  );
  return {
    pages: 0,
    resources: 0,
    resumedAfter: null,
    skipped: 0,
    completed: false,
    resolvedDeleted: 0,
    sweptElsewhere: true,
  };
}

/** The sweep itself, as the one run holding its lease. */
async function sweepLeased(
  openReader: SweepReaderFactory,
  deps: PipelineDeps,
  options: SweepOptions,
): Promise<SweepSummary> {
  const wired = wire(deps);
  const { store } = deps;
  const { sweepId, scope } = options;
  const saved = await store.sweepProgress(sweepId);
  const resumedAfter = saved?.cursor ?? null;
  // A resumed sweep started when its first run did.
  const startedAt = saved?.startedAt ?? wired.now().toISOString();
  wired.logger.info({ sweepId, resumedAfter }, 'sweep started');

  // A crash between saving a page and publishing it left findings pending: send them first.
  await publishPending(
    wired,
    store,
    (await store.unpublished()).filter((f) => inScope(scope, f)),
    wired.now(),
  );

  let pages = 0;
  let resources = 0;
  for await (const page of openReader(resumedAfter)) {
    resources += await sweepPage(wired, sweepId, startedAt, page);
    pages += 1;
    options.onProgress?.({ pages, resources });
    if (options.signal?.aborted) break;
  }
  const skipped = (await store.sweepProgress(sweepId))?.skipped ?? 0;
  const summary = { pages, resources, resumedAfter, skipped };
  if (options.signal?.aborted) {
    wired.logger.warn({ sweepId, pages }, 'sweep stopped early: nothing resolved');
    return { ...summary, completed: false, resolvedDeleted: 0 };
  }
  if (skipped > 0) {
    // A record that could not be judged may be a resource that still exists: resolve nothing.
    wired.logger.warn({ sweepId, skipped }, 'sweep skipped records: nothing resolved as deleted');
    await store.clearSweep(sweepId);
    return { ...summary, completed: false, resolvedDeleted: 0 };
  }
  const resolvedDeleted = await resolveUnseen(wired, sweepId, scope, startedAt);
  await store.clearSweep(sweepId);
  wired.logger.info({ sweepId, pages, resources, resolvedDeleted }, 'sweep completed');
  return { ...summary, completed: true, resolvedDeleted };
}

/** Resources whose unseen findings are resolved under one set of locks. */
const RESOLVE_BATCH = 100;

/**
 * Resolves, as deleted, the open findings of the scope whose resource the
 * sweep never saw and nothing else saw since the sweep started: a resource an
 * event reported while the sweep ran may have been created after the sweep
 * listed its type. Each group of resources is decided under its locks from
 * what the state holds then, so an event another worker handles meanwhile is
 * never overruled by what was read before it.
 */
async function resolveUnseen(
  wired: Wired,
  sweepId: string,
  scope: CoveredScope,
  startedAt: string,
): Promise<number> {
  const { store } = wired.deps;
  const unseenNow = (f: FindingRecord) =>
    f.status !== 'RESOLVED' &&
    inScope(scope, f) &&
    f.lastSeen < startedAt &&
    (f.observedAt ?? '') < startedAt;
  const candidates = (await store.unseenOpenFindings(sweepId, scope.provider)).filter(unseenNow);
  const ids = new Set(candidates.map((f) => f.id));
  const resources = new Map<string, FindingRecord>();
  for (const f of candidates) resources.set(`${f.account}|${f.resourceId}`, f);
  const refs = [...resources.values()];
  let resolved = 0;
  for (let start = 0; start < refs.length; start += RESOLVE_BATCH) {
    const group = refs.slice(start, start + RESOLVE_BATCH);
    resolved += await store.withResources(group, async (state) => {
      const now = wired.now();
      const current: FindingRecord[] = [];
      for (const ref of group) current.push(...(await state.findingsOf(ref)));
      const events = resolveDeleted(
        current.filter((f) => ids.has(f.id) && unseenNow(f)),
        now.toISOString(),
      );
      await state.save(events.map((e) => e.finding));
      countTransitions(wired, events);
      await publish(
        wired,
        state,
        events.map((e) => e.finding),
        now,
      );
      return events.length;
    });
  }
  return resolved;
}

/** A page's documents judged, before any state is read: what reconciling needs. */
interface JudgedPage {
  readonly resources: { readonly resource: Resource; readonly observations: Observation[] }[];
  readonly deleted: Normalized['deleted'];
  /** Resource ids the page holds (judged or not): never resolved as deleted. */
  readonly seen: Set<string>;
  readonly skipped: number;
}

/** Normalizes and evaluates a page; a record that cannot be read or judged is skipped. */
function judgePage(wired: Wired, sweepId: string, page: SweepPage): JudgedPage {
  const judged: JudgedPage = { resources: [], deleted: [], seen: new Set(), skipped: 0 };
  let skipped = 0;
  const skip = (error: unknown, kind: 'normalize' | 'evaluation') => {
    skipped += 1;
    wired.metrics.errors.inc({ kind });
    wired.logger.warn({ sweepId, cursor: page.cursor, reason: describe(error) }, 'record skipped');
  };
  for (const [index, document] of page.documents.entries()) {
    const source = `sweep ${sweepId} page ${page.cursor}[${index}]`;
    let normalized;
    try {
      normalized = normalizeDocument(wired.deps.inventory, document, source, (error) =>
        skip(error, 'normalize'),
      );
    } catch (error) {
      if (!(error instanceof NormalizeError)) throw error;
      skip(error, 'normalize');
      continue;
    }
    for (const resource of normalized.resources) {
      // Seen even when it cannot be judged: it exists, so it must never resolve as deleted.
      judged.seen.add(resource.id);
      try {
        judged.resources.push({ resource, observations: evaluate(wired, resource) });
      } catch (error) {
        if (!(error instanceof PolicyEngineError)) throw error;
        skip(error, 'evaluation');
      }
    }
    // Deleted, then recreated later in the page: the later state stands.
    judged.deleted.push(...normalized.deleted.filter((d) => !judged.seen.has(d.resourceId)));
  }
  return { ...judged, skipped };
}

/**
 * Judges a page, then — under the locks of every resource it names — reconciles,
 * saves (with the checkpoint) and publishes it; returns the resources it saw.
 */
async function sweepPage(
  wired: Wired,
  sweepId: string,
  startedAt: string,
  page: SweepPage,
): Promise<number> {
  const judged = judgePage(wired, sweepId, page);
  const locks = [
    ...judged.resources.map(({ resource }) => ({
      provider: resource.provider,
      resourceId: resource.id,
    })),
    ...judged.deleted,
  ];
  await wired.deps.store.withResources(locks, async (state) => {
    const now = wired.now();
    const at = now.toISOString();
    // By finding id: a resource listed twice in a page keeps its last state.
    const records = new Map<string, FindingRecord>();
    const keep = (events: readonly TransitionEvent[]) => {
      for (const e of events) records.set(e.finding.id, e.finding);
      countTransitions(wired, events);
    };
    const observed: ReturnType<typeof observationOf>[] = [];
    for (const { resource, observations } of judged.resources) {
      keep(await reconcile(wired, state, resource, observations, at));
      observed.push(observationOf(resource));
    }
    for (const deleted of judged.deleted) {
      const stored = await state.findingsOf({
        ...deleted,
        idCaseInsensitive: wired.deps.inventory.caseInsensitiveIds,
      });
      keep(resolveDeleted(stored, at, deleted.deletedAt));
    }
    const changed = [...records.values()];
    await state.savePage(
      changed,
      {
        sweepId,
        cursor: page.cursor,
        seen: [...judged.seen],
        skipped: judged.skipped,
        at,
        startedAt,
      },
      observed,
    );
    await publish(wired, state, changed, now);
  });
  return judged.seen.size;
}
