import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describeError, type PipelineLogger } from '@drift-detective/pipeline';

/**
 * Errors after which the receipt handle no longer holds the message: extending
 * again cannot help.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html#API_ChangeMessageVisibility_Errors
 */
const LOST = new Set(['ReceiptHandleIsInvalid', 'MessageNotInflight']);

export interface LeaseOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly receiptHandle: string;
  readonly messageId: string;
  /** The visibility timeout the message was received with, in seconds. */
  readonly timeoutSeconds: number;
  readonly logger: PipelineLogger;
  /** Called once, when the lease ends (settled, whatever the outcome). */
  readonly onEnd: () => void;
}

/**
 * One received message's hold on the queue. Until it is settled (deleted,
 * handed back, released), a heartbeat extends the message's visibility at half
 * the timeout, so a slow message is not delivered a second time meanwhile.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 */
export class MessageLease {
  private timer: NodeJS.Timeout | undefined;
  /** The heartbeat call in flight, if any: the settling call waits for it. */
  private beating: Promise<void> = Promise.resolve();
  private settled: Promise<void> | undefined;

  constructor(private readonly options: LeaseOptions) {
    this.schedule();
  }

  get isSettled(): boolean {
    return this.settled !== undefined;
  }

  /**
   * Ends the lease with one last call (delete, or change visibility). The
   * heartbeat stops first and the call waits for an extension in flight, so an
   * extension can never land after a nack and undo its retry delay. Only the
   * first settle calls out; later ones return its outcome.
   */
  settle(final: () => Promise<unknown>): Promise<void> {
    if (this.settled) return this.settled;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.settled = this.beating
      .then(final)
      .then(() => undefined)
      .finally(() => this.options.onEnd());
    return this.settled;
  }

  private schedule(): void {
    // A 0 s timeout makes the message visible again at once: nothing to keep.
    if (this.settled || this.options.timeoutSeconds < 1) return;
    this.timer = setTimeout(() => this.beat(), (this.options.timeoutSeconds * 1000) / 2);
    // A pending heartbeat alone must not keep the process alive.
    this.timer.unref();
  }

  private beat(): void {
    const { client, queueUrl, receiptHandle, timeoutSeconds, messageId, logger } = this.options;
    this.beating = (async () => {
      try {
        // ChangeMessageVisibility counts from now, so each beat keeps a full timeout ahead.
        await client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: timeoutSeconds,
          }),
        );
        logger.debug({ queueUrl, messageId, timeoutSeconds }, 'SQS message visibility extended');
      } catch (error) {
        if (this.settled) return;
        const lost = error instanceof Error && LOST.has(error.name);
        logger.warn(
          { queueUrl, messageId, error: describeError(error) },
          lost
            ? 'SQS message lease lost: it may be delivered again'
            : 'SQS visibility extension failed: retried at the next heartbeat',
        );
        if (lost) return;
      }
      this.schedule();
    })();
  }
}
