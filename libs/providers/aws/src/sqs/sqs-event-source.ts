import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  describeError,
  fullJitterDelayMs,
  silentLogger,
  sleep,
  type EventSource,
  type PipelineLogger,
  type ReceivedEvent,
} from '@drift-detective/pipeline';
import { abortOptions, type SendOptions } from '../sdk/abort.js';
import { MessageLease } from './lease.js';
import { queueNameOfUrl } from './queue-names.js';
import { MAX_VISIBILITY_TIMEOUT_SECONDS, visibilitySeconds } from './visibility.js';

export interface SqsEventSourceOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Long-poll wait per ReceiveMessage, 0…20 s (default 20). */
  readonly waitTimeSeconds?: number | undefined;
  /** Messages per ReceiveMessage, 1…10 (default 10). */
  readonly maxMessages?: number | undefined;
  /**
   * Received messages not yet acked or nacked (handed out or still buffered)
   * at most: no receive while this many are held (default 10).
   */
  readonly maxBuffered?: number | undefined;
  /**
   * The visibility timeout to receive with, 0…43200 s; the heartbeat extends
   * by it. Default: the queue's VisibilityTimeout attribute.
   */
  readonly visibilityTimeoutSeconds?: number | undefined;
  /** Stops receiving and ends the iteration (the CLI wires SIGTERM to it). */
  readonly signal?: AbortSignal | undefined;
  readonly logger?: PipelineLogger | undefined;
  /**
   * Backoff after a failed receive: first bound in ms (default 1 s), doubling…
   * Also the pause between empty short polls (waitTimeSeconds 0).
   */
  readonly retryBaseMs?: number | undefined;
  /** …up to this bound in ms (default 30 s). */
  readonly retryCapMs?: number | undefined;
}

export const DEFAULT_WAIT_TIME_SECONDS = 20;
export const DEFAULT_MAX_MESSAGES = 10;
export const DEFAULT_MAX_BUFFERED = 10;

/**
 * The documented bounds: WaitTimeSeconds 0…20, MaxNumberOfMessages 1…10, VisibilityTimeout 0…43200.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
function checked(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}…${max}, got ${value}`);
  }
  return value;
}

/**
 * Change events from an SQS queue, received by long polling. A message is
 * deleted when the pipeline acks it and handed back with a delay when it
 * nacks it; while held, its visibility is extended so it is not delivered
 * twice. When `signal` aborts, receiving stops (a long poll in progress is
 * cut), the iteration ends, events already handed out finish, and messages
 * received but not handed out are made visible again at once.
 *
 * Each ReceivedEvent's body is the SQS Message itself (MessageId, Body,
 * Attributes…): the AWS inventory unwraps its Body.
 */
export function sqsEventSource(options: SqsEventSourceOptions): EventSource {
  const settings: Settings = {
    client: options.client,
    queueUrl: options.queueUrl,
    queueName: queueNameOfUrl(options.queueUrl),
    waitTimeSeconds: checked(
      'waitTimeSeconds',
      options.waitTimeSeconds ?? DEFAULT_WAIT_TIME_SECONDS,
      0,
      20,
    ),
    maxMessages: checked('maxMessages', options.maxMessages ?? DEFAULT_MAX_MESSAGES, 1, 10),
    maxBuffered: checked(
      'maxBuffered',
      options.maxBuffered ?? DEFAULT_MAX_BUFFERED,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    visibilityTimeoutSeconds:
      options.visibilityTimeoutSeconds === undefined
        ? undefined
        : checked(
            'visibilityTimeoutSeconds',
            options.visibilityTimeoutSeconds,
            0,
            MAX_VISIBILITY_TIMEOUT_SECONDS,
          ),
    signal: options.signal,
    logger: options.logger ?? silentLogger,
    retryBaseMs: options.retryBaseMs ?? 1000,
    retryCapMs: options.retryCapMs ?? 30_000,
  };
  return { [Symbol.asyncIterator]: () => new SqsPoller(settings).events() };
}

interface Settings {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly queueName: string;
  readonly waitTimeSeconds: number;
  readonly maxMessages: number;
  readonly maxBuffered: number;
  readonly visibilityTimeoutSeconds: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly logger: PipelineLogger;
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
}

interface Held {
  readonly event: ReceivedEvent;
  readonly lease: MessageLease;
  /** Makes the message visible again at once. */
  readonly release: () => Promise<unknown>;
}

/** One iteration over the queue: its buffer, its held messages, its receive loop. */
class SqsPoller {
  /** Received, not yet handed out. */
  private readonly buffer: Held[] = [];
  /** Received and neither acked, nacked nor released: buffered or handed out. */
  private held = 0;
  private wake: (() => void) | undefined;
  private timeoutSeconds: number | undefined;
  private readonly sendOptions: SendOptions;

  constructor(private readonly s: Settings) {
    this.timeoutSeconds = s.visibilityTimeoutSeconds;
    this.sendOptions = abortOptions(s.signal);
  }

  private get stopped(): boolean {
    return this.s.signal?.aborted === true;
  }

  async *events(): AsyncGenerator<ReceivedEvent, void, undefined> {
    const { signal, logger, queueUrl } = this.s;
    const onAbort = () => {
      logger.info({ queueUrl, buffered: this.buffer.length }, 'SQS source stopping');
      void this.releaseBuffered();
      this.wake?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!this.stopped) {
        const next = this.buffer.shift();
        if (next) {
          yield next.event;
          continue;
        }
        await this.slotFree();
        if (this.stopped) break;
        await this.receive();
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Also reached when the consumer stops iterating early (return()).
      await this.releaseBuffered();
    }
  }

  /** Waits while maxBuffered messages are held (or until stopped). */
  private async slotFree(): Promise<void> {
    while (this.held >= this.s.maxBuffered && !this.stopped) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /**
   * One ReceiveMessage; a failure (throttling, network, a missing queue) is
   * logged and retried with backoff until it succeeds or the source stops.
   */
  private async receive(): Promise<void> {
    const { client, queueUrl, signal, logger } = this.s;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const timeoutSeconds = await this.visibilityTimeout();
        const out = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(this.s.maxMessages, this.s.maxBuffered - this.held),
            WaitTimeSeconds: this.s.waitTimeSeconds,
            ...(this.s.visibilityTimeoutSeconds === undefined
              ? {}
              : { VisibilityTimeout: this.s.visibilityTimeoutSeconds }),
            // AttributeNames is deprecated for message system attributes.
            // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html#SQS-ReceiveMessage-request-MessageSystemAttributeNames
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
          // Cuts the long poll when the source stops. A message SQS hands to a cut
          // poll is not lost: it is delivered again after its visibility timeout.
          this.sendOptions,
        );
        const messages = out.Messages ?? [];
        for (const message of messages) this.hold(message, timeoutSeconds);
        // Short polling answers at once: without a pause an empty queue would spin.
        if (messages.length === 0 && this.s.waitTimeSeconds === 0) {
          await sleep(this.s.retryBaseMs, signal);
        }
        return;
      } catch (error) {
        if (this.stopped) return;
        const retryInMs = fullJitterDelayMs(attempt + 1, {
          baseMs: this.s.retryBaseMs,
          capMs: this.s.retryCapMs,
        });
        logger.warn(
          { queueUrl, attempt: attempt + 1, retryInMs, error: describeError(error) },
          'SQS receive failed: retrying',
        );
        await sleep(retryInMs, signal);
      }
    }
  }

  /**
   * The timeout messages are received with: the option, or the queue's
   * VisibilityTimeout attribute, read once.
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
   */
  private async visibilityTimeout(): Promise<number> {
    if (this.timeoutSeconds !== undefined) return this.timeoutSeconds;
    const out = await this.s.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.s.queueUrl,
        AttributeNames: ['VisibilityTimeout'],
      }),
      this.sendOptions,
    );
    const value = Number(out.Attributes?.['VisibilityTimeout']);
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`queue ${this.s.queueUrl} reported no VisibilityTimeout`);
    }
    this.timeoutSeconds = value;
    return value;
  }

  private hold(message: Message, timeoutSeconds: number): void {
    const { client, queueUrl, queueName, logger } = this.s;
    const { MessageId: messageId, ReceiptHandle: receiptHandle } = message;
    if (!messageId || !receiptHandle) {
      // Every received message has both; one without cannot be acked, so it is left to time out.
      logger.error({ queueUrl, messageId }, 'SQS message without id or receipt handle: skipped');
      return;
    }
    this.held += 1;
    const lease = new MessageLease({
      client,
      queueUrl,
      receiptHandle,
      messageId,
      timeoutSeconds,
      logger,
      onEnd: () => {
        this.held -= 1;
        this.wake?.();
      },
    });
    const count = Number(message.Attributes?.ApproximateReceiveCount);
    const event: ReceivedEvent = {
      id: messageId,
      body: message,
      receiveCount: Number.isInteger(count) && count >= 1 ? count : 1,
      source: `sqs:${queueName}/${messageId}`,
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
      ack: () =>
        lease.settle(() =>
          client.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }),
          ),
        ),
      // The message stays invisible for the retry delay, then is delivered again
      // with ApproximateReceiveCount one higher.
      nack: (reason, retryAfterMs) => {
        logger.debug({ queueUrl, messageId, reason, retryAfterMs }, 'SQS message handed back');
        return lease.settle(() => changeVisibility(visibilitySeconds(retryAfterMs)));
      },
    };
    const changeVisibility = (seconds: number) =>
      client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    this.buffer.push({ event, lease, release: () => changeVisibility(0) });
  }

  /**
   * Makes every buffered message visible again at once (VisibilityTimeout 0),
   * so another worker takes it instead of waiting out the timeout.
   */
  private async releaseBuffered(): Promise<void> {
    const released = this.buffer.splice(0);
    if (released.length === 0) return;
    const { queueUrl, logger } = this.s;
    await Promise.all(
      released.map(({ event, lease, release }) =>
        lease.settle(release).catch((error: unknown) =>
          // Not fatal: it becomes visible when its timeout runs out.
          logger.warn(
            { queueUrl, messageId: event.id, error: describeError(error) },
            'SQS message release failed',
          ),
        ),
      ),
    );
    logger.info({ queueUrl, released: released.length }, 'SQS buffered messages released');
  }
}
