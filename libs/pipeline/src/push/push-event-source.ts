import { runEvents, type EventDeps, type EventOptions, type EventSummary } from '../event-mode.js';
import type { DependencyHealth } from '../health/dependency-health.js';
import { trackedPublisher } from '../health/tracked-publisher.js';
import type { EventSource, ReceivedEvent } from '../interfaces.js';
import { silentLogger, type PipelineLogger } from '../observability.js';
import type { DeliveryOutcome, ReceivedEventInit, RefusalReason } from './delivery.js';
import { RecentIds } from './recent-ids.js';
import { Slots, type SlotResult } from './slots.js';

export interface PushEventSourceOptions {
  /** Events accepted and neither acked nor nacked yet (queued or being handled), at most. */
  readonly maxBuffered: number;
  /**
   * Deliveries (HTTP requests) waiting for room at most (default maxBuffered);
   * one more is answered `busy` at once.
   */
  readonly maxWaiting?: number | undefined;
  /** Acked event ids remembered, to answer their redelivery at once (default 10 000). */
  readonly rememberAcked?: number | undefined;
  readonly logger?: PipelineLogger | undefined;
}

export interface PushEventSource {
  /** What runEvents reads: one consumer at a time. It ends once closed and drained. */
  readonly source: EventSource;
  /**
   * Hands a batch to the running pipeline and resolves, in the batch's order,
   * with how each event ended. Events are admitted one after another as room
   * frees up; an event whose id is being handled joins it, and one acked
   * lately is answered `acked` at once. When `signal` aborts (the caller's
   * deadline), what is not settled yet resolves `timeout`; events already
   * admitted still finish.
   */
  deliver(events: readonly ReceivedEventInit[], signal?: AbortSignal): Promise<DeliveryOutcome[]>;
  /**
   * Stops taking events (SIGTERM draining): later deliveries, and those
   * waiting for room, are refused `closing`; events already admitted are
   * still handed to the pipeline and settle as usual.
   */
  close(): void;
  readonly closed: boolean;
}

export const DEFAULT_REMEMBER_ACKED = 10_000;

/**
 * A source of change events pushed to this process (a webhook, a push
 * subscription), for runEvents. Backpressure: a delivery waits for room while
 * `maxBuffered` events are in hand, up to its caller's deadline, and only
 * when `maxWaiting` deliveries already wait is it refused `busy` at once.
 * Waiting first, rather than refusing every burst, matters to push senders:
 * Event Grid, for one, reads repeated failures as an unhealthy endpoint and
 * then delays every delivery to it, new ones too, for up to hours
 * (https://learn.microsoft.com/azure/event-grid/delivery-and-retry). The
 * bound on waiting callers keeps memory bounded under sustained overload.
 */
export function pushEventSource(options: PushEventSourceOptions): PushEventSource {
  return new PushBuffer(options);
}

class PushBuffer implements PushEventSource {
  readonly source: EventSource;
  private readonly queue: ReceivedEvent[] = [];
  private readonly inFlight = new Map<string, Promise<DeliveryOutcome>>();
  private readonly acked: RecentIds;
  private readonly slots: Slots;
  private readonly logger: PipelineLogger;
  private wake: (() => void) | undefined;
  private iterating = false;
  private isClosed = false;

  constructor(options: PushEventSourceOptions) {
    const { maxBuffered } = options;
    if (!Number.isInteger(maxBuffered) || maxBuffered < 1) {
      throw new RangeError(`maxBuffered must be an integer of 1 or more, got ${maxBuffered}`);
    }
    this.slots = new Slots(maxBuffered, options.maxWaiting ?? maxBuffered);
    this.acked = new RecentIds(options.rememberAcked ?? DEFAULT_REMEMBER_ACKED);
    this.logger = options.logger ?? silentLogger;
    this.source = { [Symbol.asyncIterator]: () => this.events() };
  }

  get closed(): boolean {
    return this.isClosed;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.slots.close();
    this.logger.info(
      { queued: this.queue.length, inFlight: this.inFlight.size },
      'push source closing',
    );
    this.wake?.();
  }

  async deliver(
    events: readonly ReceivedEventInit[],
    signal?: AbortSignal,
  ): Promise<DeliveryOutcome[]> {
    const settlements: Promise<DeliveryOutcome>[] = [];
    let refusal: RefusalReason | undefined;
    for (const init of events) {
      // Once one event is refused the batch goes back to its sender anyway:
      // the rest are refused alike instead of waiting for room in vain.
      if (refusal !== undefined) {
        settlements.push(Promise.resolve(refused(init.id, refusal)));
        continue;
      }
      const admitted = await this.admit(init, signal);
      if ('refusal' in admitted) {
        refusal = admitted.refusal;
        if (refusal === 'busy') this.logger.warn({ eventId: init.id }, 'push source full: busy');
        settlements.push(Promise.resolve(refused(init.id, refusal)));
      } else {
        settlements.push(admitted.settled);
      }
    }
    return Promise.all(settlements);
  }

  private async admit(
    init: ReceivedEventInit,
    signal: AbortSignal | undefined,
  ): Promise<{ settled: Promise<DeliveryOutcome> } | { refusal: RefusalReason }> {
    const known = this.known(init.id, signal);
    if (known) return { settled: known };
    if (this.isClosed) return { refusal: 'closing' };
    const slot = await this.slots.acquire(signal);
    if (slot !== 'acquired') return { refusal: refusalOf(slot) };
    // While this one waited, the same event may have come in another delivery.
    const joined = this.known(init.id, signal);
    if (joined) {
      this.slots.release();
      return { settled: joined };
    }
    return { settled: untilAborted(this.enqueue(init), init.id, signal) };
  }

  /** The settlement of an event handled now or acked lately, if any. */
  private known(id: string, signal: AbortSignal | undefined): Promise<DeliveryOutcome> | undefined {
    if (this.acked.has(id)) return Promise.resolve({ id, status: 'acked' });
    const pending = this.inFlight.get(id);
    return pending && untilAborted(pending, id, signal);
  }

  /** Queues the event for the pipeline; resolves when it acks or nacks it. */
  private enqueue(init: ReceivedEventInit): Promise<DeliveryOutcome> {
    const { id } = init;
    let resolve!: (outcome: DeliveryOutcome) => void;
    const settled = new Promise<DeliveryOutcome>((r) => (resolve = r));
    let done = false;
    const finish = (outcome: DeliveryOutcome) => {
      // The pipeline calls exactly one of ack or nack; a second call changes nothing.
      if (done) return;
      done = true;
      this.inFlight.delete(id);
      this.slots.release();
      if (outcome.status === 'acked') this.acked.add(id);
      resolve(outcome);
    };
    const event: ReceivedEvent = {
      id,
      body: init.body,
      receiveCount: init.receiveCount,
      source: init.source,
      ack: async () => finish({ id, status: 'acked' }),
      nack: async (reason, retryAfterMs) => finish({ id, status: 'nacked', reason, retryAfterMs }),
    };
    this.inFlight.set(id, settled);
    this.queue.push(event);
    this.wake?.();
    return settled;
  }

  private async *events(): AsyncGenerator<ReceivedEvent, void, undefined> {
    if (this.iterating) throw new Error('a push source is read by one consumer at a time');
    this.iterating = true;
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.isClosed) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      this.iterating = false;
    }
  }
}

function refused(id: string, reason: RefusalReason): DeliveryOutcome {
  return { id, status: 'refused', reason };
}

function refusalOf(slot: Exclude<SlotResult, 'acquired'>): RefusalReason {
  if (slot === 'busy') return 'busy';
  return slot === 'closed' ? 'closing' : 'timeout';
}

/** The settlement, or `timeout` as soon as the signal aborts, whichever comes first. */
function untilAborted(
  settled: Promise<DeliveryOutcome>,
  id: string,
  signal: AbortSignal | undefined,
): Promise<DeliveryOutcome> {
  if (!signal) return settled;
  if (signal.aborted) return Promise.resolve(refused(id, 'timeout'));
  return new Promise<DeliveryOutcome>((resolve) => {
    const onAbort = () => resolve(refused(id, 'timeout'));
    signal.addEventListener('abort', onAbort, { once: true });
    void settled.then((outcome) => {
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    });
  });
}

/**
 * Judges what the push source is handed until the signal aborts (SIGTERM);
 * then the source refuses new deliveries (the sender retries them) and the
 * events it accepted finish before this resolves.
 */
export async function runPushedEvents(
  push: PushEventSource,
  deps: EventDeps,
  options: EventOptions & { readonly signal?: AbortSignal | undefined },
): Promise<EventSummary> {
  const { signal, ...eventOptions } = options;
  const stop = () => push.close();
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await runEvents(push.source, deps, eventOptions);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * A push endpoint's event pipeline: the adapter's parts with the cloud's
 * inventory, its dead-letter sink and its enricher, and the hub tracked for
 * /readyz when a health registry is given.
 */
export function pushedEventDeps(
  deps: Omit<EventDeps, 'inventory' | 'deadLetter'>,
  parts: Pick<EventDeps, 'inventory' | 'deadLetter' | 'enrich'> & {
    /** Told how each hub write ends: what /readyz reports as `hub`. */
    readonly health?: DependencyHealth | undefined;
  },
): EventDeps {
  const { health, ...rest } = parts;
  return {
    ...deps,
    ...rest,
    publisher: health ? trackedPublisher(deps.publisher, health.dependency('hub')) : deps.publisher,
  };
}
