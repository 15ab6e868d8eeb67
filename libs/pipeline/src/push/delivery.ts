import type { ReceivedEvent } from '../interfaces.js';

/**
 * One event as a push handler (a webhook, a push subscription) parsed it: a
 * ReceivedEvent without ack and nack, which the push source supplies.
 */
export type ReceivedEventInit = Pick<ReceivedEvent, 'id' | 'body' | 'receiveCount' | 'source'>;

/**
 * Why an event was not taken: the buffer stayed full (`busy`), the source is
 * draining (`closing`), or the caller's deadline passed before the pipeline
 * settled it (`timeout`). Each is worth a retry by the sender.
 */
export type RefusalReason = 'busy' | 'closing' | 'timeout';

/** How one pushed event ended, in the order deliver() was given the events. */
export type DeliveryOutcome =
  /** Done for good: judged, saved and published, or dead-lettered with its reason. */
  | { readonly id: string; readonly status: 'acked' }
  /** Failed for now: the sender should deliver it again. */
  | {
      readonly id: string;
      readonly status: 'nacked';
      readonly reason: string;
      readonly retryAfterMs: number;
    }
  /** Never reached the pipeline, or not settled in time: the sender should deliver it again. */
  | { readonly id: string; readonly status: 'refused'; readonly reason: RefusalReason };
