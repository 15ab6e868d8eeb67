import {
  resolveDeleted,
  type FindingRecord,
  type LockedResource,
  type Observation,
  type StateAccess,
} from '@drift-detective/findings';
import {
  ConfigurationNotIncluded,
  NormalizeError,
  type Resource,
} from '@drift-detective/resource-model';
import {
  countTransitions,
  describe,
  evaluate,
  normalizeDocument,
  observationOf,
  publish,
  reconcile,
  wire,
  type HubTime,
  type PipelineDeps,
  type Wired,
} from './core.js';
import type { DeadLetterSink, EventSource, ReceivedEvent } from './interfaces.js';
import { fullJitterDelayMs } from './backoff.js';
import type { SweepRequest, SweepRequests } from './sweep-request.js';

export interface EventDeps extends PipelineDeps {
  readonly deadLetter: DeadLetterSink;
  /**
   * Sweep requests on the same queue as the change events: each one sweeps a
   * shard. Without it, a request is a message the inventory cannot read.
   */
  readonly sweeps?: SweepRequests | undefined;
}

export interface EventOptions {
  /** Events handled at once (default 4). */
  readonly concurrency?: number | undefined;
  /** Deliveries before a failing event goes to the dead-letter sink (default 5). */
  readonly maxAttempts?: number | undefined;
  /** First retry delay bound in ms (default 1 s); doubles per delivery. */
  readonly backoffBaseMs?: number | undefined;
  /** Largest retry delay bound in ms (default 5 min). */
  readonly backoffCapMs?: number | undefined;
  /** In [0, 1): the jitter source (default Math.random). */
  readonly random?: (() => number) | undefined;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_BASE_MS = 1000;
export const DEFAULT_BACKOFF_CAP_MS = 5 * 60 * 1000;

/**
 * Exponential backoff with full jitter: a delay drawn uniformly below
 * min(cap, base · 2^(attempt − 1)), so retries of many failed events spread out
 * instead of arriving together.
 */
export function retryDelayMs(attempt: number, options: EventOptions = {}): number {
  return fullJitterDelayMs(attempt, {
    baseMs: options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
    capMs: options.backoffCapMs ?? DEFAULT_BACKOFF_CAP_MS,
    random: options.random,
  });
}

export interface EventSummary {
  acked: number;
  retried: number;
  deadLettered: number;
}

/** One unit of work of an event, done under its resource's lock. */
type Unit =
  | {
      readonly lock: LockedResource;
      readonly resource: Resource;
      readonly observations: Observation[];
    }
  | {
      readonly lock: LockedResource;
      readonly deleted: { provider: string; resourceId: string; deletedAt?: string | undefined };
    };

/**
 * Event mode: each event is normalized, evaluated, reconciled, saved and
 * published, and only then acknowledged. Up to `concurrency` events run at
 * once; two events of one resource take turns, in this process and across
 * every process sharing the state (the store's resource locks).
 */
export async function runEvents(
  source: EventSource,
  deps: EventDeps,
  options: EventOptions = {},
): Promise<EventSummary> {
  const wired = wire(deps);
  const summary: EventSummary = { acked: 0, retried: 0, deadLettered: 0 };
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const running = new Set<Promise<void>>();
  for await (const event of source) {
    const task = handleEvent(event, wired, deps, options, summary)
      .catch((error: unknown) => {
        // Left unacked: the queue redelivers it. One bad event never stops the loop.
        wired.metrics.errors.inc({ kind: 'internal' });
        wired.logger.error({ eventId: event.id, error: describe(error) }, 'event handling failed');
      })
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  return summary;
}

async function handleEvent(
  event: ReceivedEvent,
  wired: Wired,
  { deadLetter, sweeps }: Pick<EventDeps, 'deadLetter' | 'sweeps'>,
  options: EventOptions,
  summary: EventSummary,
): Promise<void> {
  const log = { eventId: event.id, source: event.source, receiveCount: event.receiveCount };
  const received = performance.now();
  const hubTime: HubTime = { seconds: 0 };
  let request: SweepRequest | undefined;
  let units: Unit[];
  try {
    request = sweeps?.requestOf(event.body, event.source);
    units = request ? [] : await prepareFetching(event, wired);
  } catch (error) {
    if (error instanceof NormalizeError) {
      // Poison: it will never read better on a retry, and it must not become a finding.
      wired.metrics.errors.inc({ kind: 'normalize' });
      wired.logger.warn({ ...log, reason: error.message }, 'event cannot be read: dead-lettered');
      await toDeadLetter(event, `${error.name}: ${error.message}`, wired, deadLetter, summary);
      return;
    }
    await retryOrGiveUp(event, error, wired, deadLetter, options, summary);
    return;
  }
  if (request && sweeps) {
    await sweepShard(event, request, sweeps, wired, deadLetter, options, summary);
    return;
  }
  try {
    for (const unit of units) {
      await wired.deps.store.withResources([unit.lock], (state) =>
        apply(unit, wired, state, hubTime),
      );
    }
  } catch (error) {
    await retryOrGiveUp(event, error, wired, deadLetter, options, summary);
    return;
  }
  await acknowledge(event, wired, summary, { received, hubTime });
}

async function acknowledge(
  event: ReceivedEvent,
  wired: Wired,
  summary: EventSummary,
  /** When the event came and the hub's time for it: a change event's durations are observed. */
  timing?: { readonly received: number; readonly hubTime: HubTime },
) {
  const log = { eventId: event.id, source: event.source, receiveCount: event.receiveCount };
  try {
    await event.ack();
    summary.acked += 1;
    wired.metrics.events.inc({ outcome: 'acked' });
    if (timing) {
      const seconds = (performance.now() - timing.received) / 1000;
      wired.metrics.eventDuration.observe(seconds);
      wired.metrics.eventOwnDuration.observe(Math.max(0, seconds - timing.hubTime.seconds));
    }
    wired.logger.debug(log, 'event done');
  } catch (error) {
    // The state is saved and published: a redelivery finds it unchanged.
    wired.metrics.errors.inc({ kind: 'ack' });
    wired.logger.error({ ...log, error: describe(error) }, 'ack failed');
  }
}

/**
 * A sweep request: its shard swept under the shard's lease, from its
 * checkpoint on. Acked when the sweep ended, or when another run holds the
 * lease (that run sweeps the shard; if it dies, its own request comes back,
 * or the next scheduled one resumes its checkpoint). Handed back at once when
 * the worker's stop cut it, so another worker resumes after its last saved
 * page. A shard outside the adapter's settings is dead-lettered; a failure is
 * retried like an event's, and a request for another cloud is dead-lettered.
 */
async function sweepShard(
  event: ReceivedEvent,
  request: SweepRequest,
  sweeps: SweepRequests,
  wired: Wired,
  deadLetter: DeadLetterSink,
  options: EventOptions,
  summary: EventSummary,
): Promise<void> {
  const log = { eventId: event.id, source: event.source, shard: request.shard };
  wired.logger.info({ ...log, requestedAt: request.requestedAt }, 'sweep request taken');
  let swept;
  try {
    if (request.cloud !== sweeps.cloud) {
      throw new NormalizeError(
        `sweep request for ${request.cloud} ${request.shard}`,
        `this adapter sweeps ${sweeps.cloud}, not ${request.cloud}`,
      );
    }
    swept = await sweeps.run(request);
  } catch (error) {
    if (sweeps.signal?.aborted) {
      // The stop cut a call in flight: the pages saved before it stay saved.
      await handBack(event, wired, summary, log, describe(error));
      return;
    }
    if (error instanceof NormalizeError) {
      wired.metrics.errors.inc({ kind: 'normalize' });
      wired.logger.warn({ ...log, reason: error.message }, 'sweep request refused: dead-lettered');
      await toDeadLetter(event, `${error.name}: ${error.message}`, wired, deadLetter, summary);
      return;
    }
    await retryOrGiveUp(event, error, wired, deadLetter, options, summary);
    return;
  }
  if (sweeps.signal?.aborted && !swept.sweptElsewhere) {
    await handBack(event, wired, summary, log, `after ${swept.pages} pages`);
    return;
  }
  wired.logger.info(
    {
      ...log,
      sweptElsewhere: swept.sweptElsewhere === true,
      pages: swept.pages,
      resources: swept.resources,
      completed: swept.completed,
      resolvedDeleted: swept.resolvedDeleted,
    },
    swept.sweptElsewhere
      ? 'sweep request: another run is sweeping the shard'
      : 'sweep request done',
  );
  await acknowledge(event, wired, summary);
}

/** Normalizes and evaluates the whole event before any state changes. */
function prepare(event: ReceivedEvent, wired: Wired): Unit[] {
  const { resources, deleted } = normalizeDocument(wired.deps.inventory, event.body, event.source);
  const units: Unit[] = [];
  for (const resource of resources) {
    let observations: Observation[];
    try {
      observations = evaluate(wired, resource);
    } catch (error) {
      wired.metrics.errors.inc({ kind: 'evaluation' });
      throw error;
    }
    units.push({
      lock: { provider: resource.provider, resourceId: resource.id },
      resource,
      observations,
    });
  }
  for (const d of deleted) {
    units.push({ lock: { provider: d.provider, resourceId: d.resourceId }, deleted: d });
  }
  return units;
}

/**
 * Prepares an event; when it names a configuration it does not carry and a
 * fetcher is wired, reads the fetched document instead. A failed fetch is a
 * transient error (retried), not poison.
 */
async function prepareFetching(event: ReceivedEvent, wired: Wired): Promise<Unit[]> {
  const body = await enriched(event, wired);
  try {
    return prepare({ ...event, body }, wired);
  } catch (error) {
    const fetch = wired.deps.fetch;
    if (!(error instanceof ConfigurationNotIncluded) || !fetch) throw error;
    let document: unknown;
    try {
      document = await fetch(error);
    } catch (fetchError) {
      wired.metrics.errors.inc({ kind: 'fetch' });
      throw new Error(
        `fetching ${error.resource.id ?? error.source} failed: ${describe(fetchError)}`,
        {
          cause: fetchError,
        },
      );
    }
    return prepare({ ...event, body: await enriched({ ...event, body: document }, wired) }, wired);
  }
}

/** The event's document with the context the provider adds; unchanged without an enricher. */
async function enriched(event: ReceivedEvent, wired: Wired): Promise<unknown> {
  const enrich = wired.deps.enrich;
  if (!enrich) return event.body;
  try {
    return await enrich(event.body, event.source);
  } catch (error) {
    if (error instanceof NormalizeError) throw error;
    wired.metrics.errors.inc({ kind: 'fetch' });
    throw new Error(`adding context to ${event.source} failed: ${describe(error)}`, {
      cause: error,
    });
  }
}

/** Reconcile → save → publish → mark published, for one resource, under its lock. */
async function apply(
  unit: Unit,
  wired: Wired,
  state: StateAccess,
  hubTime: HubTime,
): Promise<void> {
  const now = wired.now();
  const at = now.toISOString();
  let ref: { provider: string; account?: string; resourceId: string };
  try {
    if ('resource' in unit) {
      const events = await reconcile(wired, state, unit.resource, unit.observations, at);
      await state.save(
        events.map((e) => e.finding),
        [observationOf(unit.resource)],
      );
      countTransitions(wired, events);
      ref = {
        provider: unit.resource.provider,
        account: unit.resource.account,
        resourceId: unit.resource.id,
      };
    } else {
      const stored = await state.findingsOf({
        provider: unit.deleted.provider,
        resourceId: unit.deleted.resourceId,
        idCaseInsensitive: wired.deps.inventory.caseInsensitiveIds,
      });
      // The id as the findings spell it (a notice may spell it otherwise where ids ignore case).
      ref = {
        provider: unit.deleted.provider,
        resourceId: stored[0]?.resourceId ?? unit.deleted.resourceId,
      };
      const events = resolveDeleted(stored, at, unit.deleted.deletedAt);
      // The deletion is an observation too: an older state of the resource arriving later
      // must not bring it back. (A notice names no account: those of its findings.)
      const deletedAt = unit.deleted.deletedAt;
      const accounts = new Set(stored.map((f) => f.account));
      const deletedRef = ref;
      await state.save(
        events.map((e) => e.finding),
        deletedAt === undefined
          ? []
          : [...accounts].map((account) => ({ ...deletedRef, account, observedAt: deletedAt })),
      );
      countTransitions(wired, events);
    }
  } catch (error) {
    wired.metrics.errors.inc({ kind: 'store' });
    throw error;
  }
  // Read back: this also re-sends what an earlier failed attempt left pending.
  const current: FindingRecord[] = await state.findingsOf(ref);
  await publish(wired, state, current, now, hubTime);
}

/** A sweep request the stop cut, handed back at once for another worker to resume. */
async function handBack(
  event: ReceivedEvent,
  wired: Wired,
  summary: EventSummary,
  log: Record<string, unknown>,
  where: string,
): Promise<void> {
  wired.logger.info({ ...log, where }, 'sweep request cut by the stop: handed back');
  try {
    await event.nack('stopped: resumes after its last saved page', 0);
  } catch {
    // The queue hands it out again after its visibility timeout.
  }
  summary.retried += 1;
  wired.metrics.events.inc({ outcome: 'retried' });
}

async function retryOrGiveUp(
  event: ReceivedEvent,
  error: unknown,
  wired: Wired,
  deadLetter: DeadLetterSink,
  options: EventOptions,
  summary: EventSummary,
): Promise<void> {
  const reason = describe(error);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const log = { eventId: event.id, source: event.source, receiveCount: event.receiveCount, reason };
  if (event.receiveCount >= maxAttempts) {
    wired.logger.error(log, 'event failed on its last attempt: dead-lettered');
    await toDeadLetter(
      event,
      `after ${event.receiveCount} attempts: ${reason}`,
      wired,
      deadLetter,
      summary,
    );
    return;
  }
  const retryAfterMs = retryDelayMs(event.receiveCount, options);
  wired.logger.warn({ ...log, retryAfterMs }, 'event failed: retried');
  try {
    await event.nack(reason, retryAfterMs);
  } catch (nackError) {
    // Not acked either: the queue redelivers it after its own visibility timeout.
    wired.metrics.errors.inc({ kind: 'ack' });
    wired.logger.error({ ...log, error: describe(nackError) }, 'nack failed');
  }
  summary.retried += 1;
  wired.metrics.events.inc({ outcome: 'retried' });
}

async function toDeadLetter(
  event: ReceivedEvent,
  reason: string,
  wired: Wired,
  deadLetter: DeadLetterSink,
  summary: EventSummary,
): Promise<void> {
  try {
    await deadLetter.put(event, reason);
  } catch (error) {
    // Never ack what no dead-letter path holds: hand it back instead.
    wired.metrics.errors.inc({ kind: 'dead_letter' });
    wired.logger.error({ eventId: event.id, error: describe(error) }, 'dead-letter failed');
    try {
      await event.nack(reason, DEFAULT_BACKOFF_BASE_MS);
    } catch {
      // The queue redelivers it after its visibility timeout.
    }
    summary.retried += 1;
    wired.metrics.events.inc({ outcome: 'retried' });
    return;
  }
  try {
    await event.ack();
  } catch (error) {
    wired.metrics.errors.inc({ kind: 'ack' });
    wired.logger.error({ eventId: event.id, error: describe(error) }, 'ack failed');
  }
  summary.deadLettered += 1;
  wired.metrics.events.inc({ outcome: 'dead_lettered' });
}
