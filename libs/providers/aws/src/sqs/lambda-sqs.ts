import type { EventSource, ReceivedEvent } from '@drift-detective/pipeline';
import { isFifoQueue, parseQueueArn } from './queue-names.js';
import { visibilitySeconds } from './visibility.js';

/**
 * The SQS event a Lambda function receives from an SQS event source mapping,
 * as documented (only what this adapter reads is required).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export interface SqsLambdaEvent {
  readonly Records: readonly SqsLambdaRecord[];
}

export interface SqsLambdaRecord {
  readonly messageId: string;
  readonly receiptHandle?: string | undefined;
  /** The message body as SQS holds it: text. */
  readonly body: string;
  readonly attributes: SqsLambdaRecordAttributes;
  readonly messageAttributes?: Readonly<Record<string, SqsLambdaMessageAttribute>> | undefined;
  readonly md5OfBody?: string | undefined;
  readonly eventSource: 'aws:sqs';
  /** arn:aws:sqs:<region>:<account>:<queue name> */
  readonly eventSourceARN: string;
  readonly awsRegion?: string | undefined;
}

/** Message system attributes, all strings. */
export interface SqsLambdaRecordAttributes {
  readonly ApproximateReceiveCount: string;
  readonly SentTimestamp?: string | undefined;
  readonly SenderId?: string | undefined;
  readonly ApproximateFirstReceiveTimestamp?: string | undefined;
  readonly AWSTraceHeader?: string | undefined;
  readonly SequenceNumber?: string | undefined;
  readonly MessageGroupId?: string | undefined;
  readonly MessageDeduplicationId?: string | undefined;
}

/** A message attribute in the Lambda event's spelling (lower camel case). */
export interface SqsLambdaMessageAttribute {
  readonly dataType: string;
  readonly stringValue?: string | undefined;
  readonly binaryValue?: string | undefined;
  readonly stringListValues?: readonly string[] | undefined;
  readonly binaryListValues?: readonly string[] | undefined;
}

/**
 * The partial batch response: the messages Lambda must hand back to the queue.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface LambdaSqsBatch {
  /** One ReceivedEvent per record, body `{ Body, MessageId }` as an SQS message. */
  readonly source: EventSource;
  /** What the handler returns once the pipeline is done with the source. */
  failures(): SqsBatchResponse;
}

type Outcome = 'pending' | 'acked' | 'failed';

/**
 * Adapts one Lambda SQS invocation to the pipeline: ack marks a record done,
 * nack marks it failed, and a record neither acked nor nacked counts as
 * failed, never as done. The handler returns `failures()`; Lambda then deletes
 * only the records it does not name.
 *
 * That response is read only when the event source mapping has
 * FunctionResponseTypes ["ReportBatchItemFailures"]; without it Lambda ignores
 * the list and deletes the whole batch whenever the handler returns normally.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 *
 * A partial batch response cannot set a retry delay: a failed record comes
 * back after the queue's visibility timeout (six times the function's, as
 * Lambda asks). With `delay`, nack first sets the record's visibility to its
 * retry delay (ChangeMessageVisibility with the record's receipt handle), so
 * it comes back after its backoff, and a sweep request cut before the
 * timeout at once; a delay that fails leaves the queue's timeout. Its dead
 * letters (SqsDeadLetterSink) read the record's body as sent.
 */
export function lambdaSqsEvents(
  event: SqsLambdaEvent,
  options: {
    /** Makes a record visible again after `seconds` (0…43200); throws when SQS refuses. */
    readonly delay?: ((record: SqsLambdaRecord, seconds: number) => Promise<void>) | undefined;
    /** Told when a delay failed: the record then comes back after the queue's timeout. */
    readonly onDelayFailed?: ((record: SqsLambdaRecord, error: unknown) => void) | undefined;
  } = {},
): LambdaSqsBatch {
  const records = event.Records.map((record, index) => checked(record, index));
  const outcomes: Outcome[] = records.map(() => 'pending');
  const events: ReceivedEvent[] = records.map((record, index) => {
    const settle = (outcome: Outcome) => {
      // The first call decides: the pipeline makes exactly one.
      if (outcomes[index] === 'pending') outcomes[index] = outcome;
      return Promise.resolve();
    };
    const count = Number(record.attributes.ApproximateReceiveCount);
    const queue = parseQueueArn(record.eventSourceARN)?.name ?? record.eventSourceARN;
    return {
      id: record.messageId,
      body: { Body: record.body, MessageId: record.messageId },
      receiveCount: Number.isInteger(count) && count >= 1 ? count : 1,
      source: `sqs:${queue}/${record.messageId}`,
      ack: () => settle('acked'),
      nack: async (_reason, retryAfterMs) => {
        if (outcomes[index] === 'pending' && options.delay && record.receiptHandle) {
          try {
            await options.delay(record, visibilitySeconds(retryAfterMs));
          } catch (error) {
            options.onDelayFailed?.(record, error);
          }
        }
        return settle('failed');
      },
    };
  });
  return {
    source: {
      async *[Symbol.asyncIterator]() {
        yield* events;
      },
    },
    failures() {
      const failed = new Set<string>();
      let earlierFailed = false;
      records.forEach((record, index) => {
        const fails = outcomes[index] !== 'acked';
        // A FIFO batch must not be deleted past its first failure, or a later
        // message of a group would be done before an earlier one: "stop
        // processing after the first failure and return all failed and
        // unprocessed messages".
        // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
        if (fails || (earlierFailed && isFifoQueue(record.eventSourceARN))) {
          failed.add(record.messageId);
        }
        earlierFailed ||= fails;
      });
      return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
    },
  };
}

/**
 * A record the adapter can answer for. Anything else is a wiring mistake: it
 * throws, so Lambda retries the whole batch rather than deleting it.
 */
function checked(record: SqsLambdaRecord, index: number): SqsLambdaRecord {
  const r = record as Partial<Record<keyof SqsLambdaRecord, unknown>>;
  if (r.eventSource !== 'aws:sqs') {
    throw new TypeError(`Records[${index}] is not from SQS (eventSource ${String(r.eventSource)})`);
  }
  if (typeof r.messageId !== 'string' || r.messageId === '') {
    throw new TypeError(`Records[${index}] has no messageId`);
  }
  if (typeof r.body !== 'string') throw new TypeError(`Records[${index}] has no text body`);
  if (typeof r.eventSourceARN !== 'string') {
    throw new TypeError(`Records[${index}] has no eventSourceARN`);
  }
  return record;
}
