import {
  inScope,
  resolveDeleted,
  type CoveredScope,
  type FindingRecord,
  type TransitionEvent,
} from '@drift-detective/findings';
import { PolicyEngineError } from '@drift-detective/policy-engine';
import { NormalizeError } from '@drift-detective/resource-model';
import {
  countTransitions,
  describe,
  evaluate,
  normalizeDocument,
  observationOf,
  publish,
  reconcile,
  wire,
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
  const wired = wire(deps);
  const { store } = deps;
  const { sweepId, scope } = options;
  const saved = store.sweepProgress(sweepId);
  const resumedAfter = saved?.cursor ?? null;
  // A resumed sweep started when its first run did.
  const startedAt = saved?.startedAt ?? wired.now().toISOString();
  wired.logger.info({ sweepId, resumedAfter }, 'sweep started');

  // A crash between saving a page and publishing it left findings pending: send them first.
  await publish(
    wired,
    store.unpublished().filter((f) => inScope(scope, f)),
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
  const skipped = store.sweepProgress(sweepId)?.skipped ?? 0;
  const summary = { pages, resources, resumedAfter, skipped };
  if (options.signal?.aborted) {
    wired.logger.warn({ sweepId, pages }, 'sweep stopped early: nothing resolved');
    return { ...summary, completed: false, resolvedDeleted: 0 };
  }
  if (skipped > 0) {
    // A record that could not be judged may be a resource that still exists: resolve nothing.
    wired.logger.warn({ sweepId, skipped }, 'sweep skipped records: nothing resolved as deleted');
    store.clearSweep(sweepId);
    return { ...summary, completed: false, resolvedDeleted: 0 };
  }
  const now = wired.now();
  // Unseen, in scope, and not seen by anything since the sweep started: a
  // resource an event reported while the sweep ran may have been created after
  // the sweep listed its type.
  const unseen = store
    .unseenOpenFindings(sweepId, scope.provider)
    .filter((f) => inScope(scope, f))
    .filter((f) => f.lastSeen < startedAt && (f.observedAt ?? '') < startedAt);
  const events = resolveDeleted(unseen, now.toISOString());
  store.save(events.map((e) => e.finding));
  countTransitions(wired, events);
  await publish(
    wired,
    events.map((e) => e.finding),
    now,
  );
  store.clearSweep(sweepId);
  wired.logger.info(
    { sweepId, pages, resources, resolvedDeleted: events.length },
    'sweep completed',
  );
  return { ...summary, completed: true, resolvedDeleted: events.length };
}

/** Judges, saves (with the checkpoint) and publishes one page; returns the resources it judged. */
async function sweepPage(
  wired: Wired,
  sweepId: string,
  startedAt: string,
  page: SweepPage,
): Promise<number> {
  const now = wired.now();
  const at = now.toISOString();
  const { store } = wired.deps;
  // By finding id: a resource listed twice in a page keeps its last state.
  const records = new Map<string, FindingRecord>();
  const seen = new Set<string>();
  const observed: ReturnType<typeof observationOf>[] = [];
  let skipped = 0;
  const skip = (error: unknown, kind: 'normalize' | 'evaluation') => {
    skipped += 1;
    wired.metrics.errors.inc({ kind });
    wired.logger.warn({ sweepId, cursor: page.cursor, reason: describe(error) }, 'record skipped');
  };
  const keep = (events: readonly TransitionEvent[]) => {
    for (const e of events) records.set(e.finding.id, e.finding);
    countTransitions(wired, events);
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
      seen.add(resource.id);
      let observations;
      try {
        observations = evaluate(wired, resource);
      } catch (error) {
        if (!(error instanceof PolicyEngineError)) throw error;
        skip(error, 'evaluation');
        continue;
      }
      keep(reconcile(wired, resource, observations, at));
      observed.push(observationOf(resource));
    }
    for (const deleted of normalized.deleted) {
      if (seen.has(deleted.resourceId)) continue; // deleted, then recreated later in the page
      const stored = store.findingsOf({
        ...deleted,
        idCaseInsensitive: wired.deps.inventory.caseInsensitiveIds,
      });
      keep(resolveDeleted(stored, at, deleted.deletedAt));
    }
  }
  const changed = [...records.values()];
  store.savePage(
    changed,
    { sweepId, cursor: page.cursor, seen: [...seen], skipped, at, startedAt },
    observed,
  );
  await publish(wired, changed, now);
  return seen.size;
}
