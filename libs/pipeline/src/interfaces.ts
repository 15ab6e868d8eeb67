import type { FindingRecord } from '@drift-detective/findings';

/**
 * One change event as a queue or webhook hands it over. The pipeline calls
 * exactly one of ack or nack, and ack only once the event's findings are
 * saved and published.
 */
export interface ReceivedEvent {
  readonly id: string;
  /** The parsed message: whatever the provider inventory's unwrap reads. */
  readonly body: unknown;
  /** Deliveries so far, this one included (SQS ApproximateReceiveCount, Pub/Sub deliveryAttempt). */
  readonly receiveCount: number;
  /** Where it came from, for messages: a queue name and message id, a webhook… */
  readonly source: string;
  ack(): Promise<void>;
  /** Hands the event back to be delivered again no sooner than retryAfterMs. */
  nack(reason: string, retryAfterMs: number): Promise<void>;
}

export type EventSource = AsyncIterable<ReceivedEvent>;

/**
 * Sends findings to a hub. Idempotent by finding id: re-sending a finding is
 * harmless, so a retry after a crash may repeat what was already sent. Throws
 * when the hub did not take the batch.
 */
export interface Publisher {
  publish(batch: readonly FindingRecord[]): Promise<void>;
}

/**
 * What a publisher throws when the hub took only part of a batch: the findings
 * it refused, each with why and whether sending it again can ever help. The
 * pipeline marks the rest as published; a refusal for good is logged and
 * counted (the finding stays pending in the state, visible, never marked
 * sent) instead of blocking every later publish.
 */
export interface PartialPublishFailure {
  readonly rejected: readonly {
    readonly id: string;
    readonly permanent: boolean;
    readonly reason: string;
  }[];
}

export function isPartialPublishFailure(error: unknown): error is PartialPublishFailure {
  return (
    typeof error === 'object' &&
    error !== null &&
    Array.isArray((error as Partial<PartialPublishFailure>).rejected)
  );
}

/** Where events that can never succeed go, with the reason. */
export interface DeadLetterSink {
  put(event: ReceivedEvent, reason: string): Promise<void>;
}

/** One page of a sweep: the native documents and the cursor that reads on after it. */
export interface SweepPage {
  readonly cursor: string;
  readonly documents: readonly unknown[];
}

/** The pages of a sweep, in order. */
export type SweepReader = AsyncIterable<SweepPage>;

/** Starts a sweep's reader from the beginning (null) or after a saved cursor. */
export type SweepReaderFactory = (after: string | null) => SweepReader;
