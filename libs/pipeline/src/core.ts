import {
  needsPublish,
  reconcileResource,
  type FindingRecord,
  type Observation,
  type StateAccess,
  type StateStore,
  type TransitionEvent,
  type WaiverRef,
} from '@drift-detective/findings';
import type { PolicyEngine, Violation } from '@drift-detective/policy-engine';
import type { ConfigurationNotIncluded } from '@drift-detective/resource-model';
import {
  NormalizeError,
  ResourceDeletedNotice,
  createInventoryContext,
  type ProviderInventory,
  type Resource,
} from '@drift-detective/resource-model';
import { isPartialPublishFailure, type Publisher } from './interfaces.js';
import {
  silentLogger,
  type PipelineLogger,
  type PipelineMetrics,
  createMemoryMetrics,
} from './observability.js';

/** What both modes are wired to. Provider code comes in only through `inventory` and `publisher`. */
export interface PipelineDeps {
  readonly inventory: ProviderInventory;
  readonly engine: Pick<PolicyEngine, 'evaluate' | 'rules'>;
  readonly store: StateStore;
  readonly publisher: Publisher;
  readonly logger?: PipelineLogger | undefined;
  readonly metrics?: PipelineMetrics | undefined;
  /** The active waiver for a violation; none by default. */
  readonly waiverFor?: ((observation: Observation) => WaiverRef | undefined) | undefined;
  /** Days before an unchanged open finding is re-sent (needsPublish). */
  readonly refreshDays?: number | undefined;
  readonly clock?: (() => Date) | undefined;
  /**
   * Fetches a configuration an event names but does not carry (an AWS oversized
   * item: GetResourceConfigHistory with limit 1). Returns a document the
   * inventory reads in its place. Without it such events are dead-lettered.
   */
  readonly fetch?: ((missing: ConfigurationNotIncluded) => Promise<unknown>) | undefined;
  /**
   * Event mode: returns the event's document with the context it needs to be
   * judged on its own (an S3 bucket's account-level Block Public Access, which
   * a sweep reads beside the buckets but an event does not carry). A failure is
   * transient: the event is retried.
   */
  readonly enrich?: ((document: unknown, source: string) => Promise<unknown>) | undefined;
}

/** The deps with every default filled in. */
export interface Wired {
  readonly deps: PipelineDeps;
  readonly logger: PipelineLogger;
  readonly metrics: PipelineMetrics;
  readonly now: () => Date;
  readonly bundleRules: ReadonlySet<string>;
}

export function wire(deps: PipelineDeps): Wired {
  return {
    deps,
    logger: deps.logger ?? silentLogger,
    metrics: deps.metrics ?? createMemoryMetrics(),
    now: deps.clock ?? (() => new Date()),
    bundleRules: new Set(deps.engine.rules.keys()),
  };
}

/** What one document turned into: resources to judge and resources reported deleted. */
export interface Normalized {
  readonly resources: Resource[];
  readonly deleted: {
    readonly provider: string;
    readonly resourceId: string;
    /** When the source says it was deleted: a later observation outranks it. */
    readonly deletedAt?: string | undefined;
  }[];
}

/**
 * Unwraps and normalizes one document with a context of its own. Throws the
 * first NormalizeError: the caller decides whether that poisons an event or
 * skips a record of a sweep.
 */
export function normalizeDocument(
  inventory: ProviderInventory,
  document: unknown,
  source: string,
  onSkip?: (error: NormalizeError) => void,
): Normalized {
  const records = inventory.unwrap(document, source);
  const context = createInventoryContext();
  const toNormalize = records.filter((record) => !inventory.collect(record, context));
  const result: Normalized = { resources: [], deleted: [] };
  for (const record of toNormalize) {
    try {
      result.resources.push(inventory.normalize(record, context));
    } catch (error) {
      if (error instanceof ResourceDeletedNotice) {
        result.deleted.push({
          provider: record.provider,
          resourceId: error.resourceId,
          ...(error.deletedAt ? { deletedAt: error.deletedAt } : {}),
        });
      } else if (error instanceof NormalizeError && onSkip) {
        onSkip(error);
      } else {
        throw error;
      }
    }
  }
  result.resources.push(...inventory.leftovers(context));
  return result;
}

export function toObservation(resource: Resource, violation: Violation): Observation {
  return {
    provider: resource.provider,
    account: resource.account,
    resourceId: resource.id,
    ruleId: violation.ruleId,
    title: violation.title,
    severity: violation.severity,
    message: violation.message,
    details: violation.details,
    frameworks: violation.frameworks,
    remediation: violation.remediation,
    region: resource.region ?? null,
    resourceName: resource.name,
    resourceType: resource.nativeType,
    kind: resource.kind,
    tags: resource.tags,
    observedAt: resource.observedAt,
    ...(resource.change ? { change: resource.change } : {}),
  };
}

/** Evaluates a resource; a policy runtime error is thrown, never turned into "no violation". */
export function evaluate(wired: Wired, resource: Resource): Observation[] {
  const violations = wired.deps.engine.evaluate(resource);
  wired.metrics.evaluations.inc();
  return violations.map((v) => toObservation(resource, v));
}

/**
 * Whether the store already reflects a newer state of the resource than this
 * one: a redelivered or reordered message, judged late. Holds for resources
 * without findings too (a compliant state leaves no finding to compare with).
 */
export async function isStale(state: StateAccess, resource: Resource): Promise<boolean> {
  const last = await state.lastObserved({
    provider: resource.provider,
    account: resource.account,
    resourceId: resource.id,
  });
  return last !== undefined && last > resource.observedAt;
}

/** The observation a judged resource leaves in the store. */
export function observationOf(resource: Resource) {
  return {
    provider: resource.provider,
    account: resource.account,
    resourceId: resource.id,
    observedAt: resource.observedAt,
  };
}

/**
 * The transitions of one judged resource against what the state holds; none
 * for a stale state. The caller holds the resource's lock (`withResources`).
 */
export async function reconcile(
  wired: Wired,
  state: StateAccess,
  resource: Resource,
  observations: readonly Observation[],
  now: string,
): Promise<TransitionEvent[]> {
  if (await isStale(state, resource)) {
    wired.logger.info(
      { resourceId: resource.id, observedAt: resource.observedAt },
      'an older state than the one recorded: ignored',
    );
    return [];
  }
  const ref = { provider: resource.provider, account: resource.account, resourceId: resource.id };
  return reconcileResource({
    resource: ref,
    observations,
    stored: await state.findingsOf(ref),
    judgedRules: wired.bundleRules,
    bundleRules: wired.bundleRules,
    now,
    observedAt: resource.observedAt,
    waiverFor: wired.deps.waiverFor ?? (() => undefined),
  });
}

export function countTransitions(wired: Wired, events: readonly TransitionEvent[]): void {
  for (const e of events) wired.metrics.transitions.inc({ transition: e.transition });
}

/** Time spent in the hub's calls on behalf of one event, in seconds. */
export interface HubTime {
  seconds: number;
}

/**
 * Publishes the findings that need it, then records them as published. A
 * publisher failure throws and leaves them pending in the store, so the next
 * attempt sends them again. The caller holds their resources' locks from
 * reading them until this returns: a run that read an older state of them
 * can then never send it after a newer one (the hub would keep the older).
 */
export async function publish(
  wired: Wired,
  state: StateAccess,
  findings: readonly FindingRecord[],
  now: Date,
  /** Where the hub's time is added up, for the event this publishes for. */
  hubTime?: HubTime,
): Promise<FindingRecord[]> {
  const due = findings.filter((f) => needsPublish(f, now, wired.deps.refreshDays));
  if (due.length === 0) return [];
  // A transition a scan sharing the state still has to report is that scan's to send.
  const mine = await state.claim(due.map((f) => f.id));
  const batch = due.filter((f) => mine.has(f.id));
  if (batch.length === 0) return [];
  const started = performance.now();
  try {
    await wired.deps.publisher.publish(batch);
  } catch (error) {
    wired.metrics.errors.inc({ kind: 'publish' });
    if (!isPartialPublishFailure(error)) throw error;
    const refused = error.rejected;
    const refusedIds = new Set(refused.map((r) => r.id));
    // What the hub took is taken, whatever happens to the rest.
    await markPublished(state, batch, refusedIds, now);
    if (refused.some((r) => !r.permanent)) throw error;
    for (const r of refused) {
      wired.metrics.errors.inc({ kind: 'publish_rejected' });
      wired.logger.error(
        { findingId: r.id, reason: r.reason },
        'the hub refused this finding for good: it stays pending in the state, not sent',
      );
    }
    return batch.filter((f) => !refusedIds.has(f.id));
  } finally {
    const seconds = (performance.now() - started) / 1000;
    wired.metrics.publishDuration.observe(seconds);
    if (hubTime) hubTime.seconds += seconds;
  }
  await markPublished(state, batch, new Set(), now);
  return batch;
}

async function markPublished(
  state: StateAccess,
  batch: readonly FindingRecord[],
  except: ReadonlySet<string>,
  now: Date,
): Promise<void> {
  await state.markPublished(
    batch.filter((f) => !except.has(f.id)).map((f) => ({ id: f.id, contentHash: f.contentHash })),
    now.toISOString(),
  );
}

/** Resources locked and published together by `publishPending`. */
const PENDING_BATCH = 100;

/**
 * Publishes what is pending for the resources of these findings (read before,
 * without their locks): each group of resources under its locks, from what
 * the state holds then, so a newer state another run saved meanwhile is what
 * goes out. Returns what was sent.
 */
export async function publishPending(
  wired: Wired,
  store: StateStore,
  findings: readonly FindingRecord[],
  now: Date,
): Promise<FindingRecord[]> {
  const resources = new Map<string, FindingRecord>();
  for (const f of findings) resources.set(`${f.provider}|${f.account}|${f.resourceId}`, f);
  const refs = [...resources.values()];
  const sent: FindingRecord[] = [];
  for (let start = 0; start < refs.length; start += PENDING_BATCH) {
    const group = refs.slice(start, start + PENDING_BATCH);
    sent.push(
      ...(await store.withResources(group, async (state) => {
        const current: FindingRecord[] = [];
        for (const ref of group) current.push(...(await state.findingsOf(ref)));
        return publish(wired, state, current, now);
      })),
    );
  }
  return sent;
}

/** An error's message, for logs and dead letters: never the payload that caused it. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
