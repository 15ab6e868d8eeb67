import type { DeliveryOutcome } from './delivery.js';

/** The HTTP answer a push sender gets for a batch. */
export type PushAnswer =
  | { readonly status: 200 }
  | {
      readonly status: 503;
      /** Seconds before the batch is worth sending again (a Retry-After hint). */
      readonly retryAfterSeconds: number;
      /** One line: why, for the log and the body. */
      readonly reason: string;
    };

/** Retry-After when nothing says better: the pause Event Grid itself takes after a 503. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

/**
 * 2xx only when every event of the batch is done for good (acked: judged,
 * saved and published, or dead-lettered with its reason); otherwise 503 so
 * the sender delivers the batch again. Push senders acknowledge or retry a
 * request as a whole, so one event failing for now sends back all of them;
 * its batch-mates already acked are then answered at once (the push source
 * remembers them) or judged again to the same result, so a redelivery
 * changes nothing. An event that can never succeed is dead-lettered and
 * acked by the pipeline, so it cannot hold its batch back forever. 503, not
 * 500: the sender should back off, and Event Grid waits longer after a 503
 * (https://learn.microsoft.com/azure/event-grid/delivery-and-retry).
 */
export function pushAnswer(outcomes: readonly DeliveryOutcome[]): PushAnswer {
  const pending = outcomes.filter((o) => o.status !== 'acked');
  const first = pending[0];
  if (first === undefined) return { status: 200 };
  const waitMs = Math.max(
    0,
    ...pending.map((o) =>
      o.status === 'nacked' ? o.retryAfterMs : DEFAULT_RETRY_AFTER_SECONDS * 1000,
    ),
  );
  const why = first.status === 'nacked' ? `failed: ${first.reason}` : first.reason;
  return {
    status: 503,
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    reason: `${pending.length} of ${outcomes.length} event(s) not done (${first.id}: ${why})`,
  };
}
