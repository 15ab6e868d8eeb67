import { createHash } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetterSink, PipelineLogger, ReceivedEvent } from '@drift-detective/pipeline';
import { sqsSafeText, truncateUtf8, utf8Bytes } from './message-text.js';
import { isFifoQueue, parseQueueArn } from './queue-names.js';

export interface SqsDeadLetterOptions {
  readonly client: SQSClient;
  /**
   * The queue the events come from. Dead letters name it, and without
   * deadLetterQueueUrl its RedrivePolicy names the dead-letter queue.
   */
  readonly sourceQueueUrl?: string | undefined;
  /** The dead-letter queue; default: the source queue's RedrivePolicy deadLetterTargetArn. */
  readonly deadLetterQueueUrl?: string | undefined;
  /** Told when the dead-letter queue's maximum message size cannot be read. */
  readonly logger?: Pick<PipelineLogger, 'warn'> | undefined;
}

/**
 * The message attributes a dead letter carries. Names: letters, digits, "-",
 * "_", "."; not starting with "AWS." or "Amazon.".
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: 'DriftDeadLetterReason',
  sourceQueue: 'DriftSourceQueue',
  receiveCount: 'DriftReceiveCount',
  messageId: 'DriftMessageId',
} as const;

/** A reason longer than this many UTF-8 bytes is cut: it names an error, it is not a log. */
export const MAX_REASON_BYTES = 1024;

/**
 * The message size a queue takes when it does not say: 256 KiB, the
 * MaximumMessageSize default for years (now raised to 1 MiB).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
const FALLBACK_MAX_MESSAGE_BYTES = 262_144;

interface Target {
  readonly url: string;
  readonly maxMessageBytes: number;
}

/**
 * Sends events that can never succeed to an SQS dead-letter queue: the
 * original Body, with attributes naming the reason, the source queue, the
 * receive count and the message id. Without a dead-letter queue `put` throws,
 * so the pipeline hands the event back instead of dropping it.
 *
 * Mind the source queue's own maxReceiveCount: when SQS reaches it first, it
 * moves the message to the same queue itself, without a reason.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export class SqsDeadLetterSink implements DeadLetterSink {
  private target: Promise<Target> | undefined;

  constructor(private readonly options: SqsDeadLetterOptions) {}

  async put(event: ReceivedEvent, reason: string): Promise<void> {
    const target = await this.resolve();
    const body = originalBody(event);
    const attributes: Record<string, MessageAttributeValue> = {
      [DEAD_LETTER_ATTRIBUTES.sourceQueue]: text(this.options.sourceQueueUrl ?? event.source),
      [DEAD_LETTER_ATTRIBUTES.receiveCount]: {
        DataType: 'Number',
        StringValue: String(event.receiveCount),
      },
      [DEAD_LETTER_ATTRIBUTES.messageId]: text(event.id),
    };
    // Body, attribute names, types and values all count toward the message size.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#message-attribute-components
    const used =
      utf8Bytes(body) +
      Object.entries(attributes).reduce(
        (sum, [name, value]) =>
          sum +
          utf8Bytes(name) +
          utf8Bytes(value.DataType ?? '') +
          utf8Bytes(value.StringValue ?? ''),
        0,
      ) +
      utf8Bytes(DEAD_LETTER_ATTRIBUTES.reason) +
      utf8Bytes('String');
    const room = Math.min(MAX_REASON_BYTES, target.maxMessageBytes - used);
    // When the body leaves no room, "…" still says a reason was cut.
    attributes[DEAD_LETTER_ATTRIBUTES.reason] = text(
      truncateUtf8(sqsSafeText(reason), Math.max(room, utf8Bytes('…'))),
    );

    await this.options.client.send(
      new SendMessageCommand({
        QueueUrl: target.url,
        MessageBody: body,
        MessageAttributes: attributes,
        // A FIFO dead-letter queue (that of a FIFO queue) needs a group and,
        // without content-based deduplication, a deduplication id: the message
        // id's hash makes a repeated put within 5 minutes a no-op.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#SQS-SendMessage-request-MessageDeduplicationId
        ...(isFifoQueue(target.url)
          ? {
              MessageGroupId: 'dead-letters',
              MessageDeduplicationId: createHash('sha256').update(event.id).digest('hex'),
            }
          : {}),
      }),
    );
  }

  /** The dead-letter queue's URL: from the options or the source queue's RedrivePolicy. */
  async deadLetterQueueUrl(): Promise<string> {
    return (await this.resolve()).url;
  }

  /** Resolved once; a failed resolution is tried again on the next put. */
  private resolve(): Promise<Target> {
    this.target ??= this.lookUp().catch((error: unknown) => {
      this.target = undefined;
      throw error;
    });
    return this.target;
  }

  private async lookUp(): Promise<Target> {
    const url = this.options.deadLetterQueueUrl ?? (await this.fromRedrivePolicy());
    return { url, maxMessageBytes: await this.maxMessageBytes(url) };
  }

  /**
   * RedrivePolicy is JSON text {"deadLetterTargetArn": "...", "maxReceiveCount": n};
   * the ARN names the queue and its owner, which GetQueueUrl turns into a URL.
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
   */
  private async fromRedrivePolicy(): Promise<string> {
    const { client, sourceQueueUrl } = this.options;
    if (sourceQueueUrl === undefined) {
      throw new Error(
        'no dead-letter queue configured: pass deadLetterQueueUrl, or sourceQueueUrl of a queue with a RedrivePolicy',
      );
    }
    const out = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: sourceQueueUrl,
        AttributeNames: ['RedrivePolicy'],
      }),
    );
    const policy = out.Attributes?.['RedrivePolicy'];
    if (!policy) {
      throw new Error(
        `no dead-letter queue configured: queue ${sourceQueueUrl} has no RedrivePolicy and no deadLetterQueueUrl was given`,
      );
    }
    let arn: unknown;
    try {
      arn = (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    } catch {
      arn = undefined;
    }
    const target = typeof arn === 'string' ? parseQueueArn(arn) : null;
    if (target === null) {
      throw new Error(
        `queue ${sourceQueueUrl} has a RedrivePolicy without a queue deadLetterTargetArn`,
      );
    }
    const found = await client.send(
      new GetQueueUrlCommand({ QueueName: target.name, QueueOwnerAWSAccountId: target.account }),
    );
    if (!found.QueueUrl) throw new Error(`GetQueueUrl returned no URL for ${String(arn)}`);
    return found.QueueUrl;
  }

  /**
   * The dead-letter queue's MaximumMessageSize. A role allowed to send to the
   * queue but not to read its attributes (sqs:GetQueueAttributes,
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html)
   * still dead-letters: the reason is then cut to fit the fallback size.
   */
  private async maxMessageBytes(url: string): Promise<number> {
    let out;
    try {
      out = await this.options.client.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['MaximumMessageSize'] }),
      );
    } catch (error) {
      this.options.logger?.warn(
        {
          deadLetterQueueUrl: url,
          fallbackBytes: FALLBACK_MAX_MESSAGE_BYTES,
          error: error instanceof Error ? error.message : String(error),
        },
        'dead-letter queue MaximumMessageSize unreadable: dead letters are cut to the fallback size',
      );
      return FALLBACK_MAX_MESSAGE_BYTES;
    }
    const size = Number(out.Attributes?.['MaximumMessageSize']);
    return Number.isInteger(size) && size > 0 ? size : FALLBACK_MAX_MESSAGE_BYTES;
  }
}

function text(value: string): MessageAttributeValue {
  // A String attribute takes the same characters as a body and must not be empty.
  return { DataType: 'String', StringValue: sqsSafeText(value) || '-' };
}

/** The Body the event arrived with (SQS message or Lambda record); else the body as JSON. */
function originalBody(event: ReceivedEvent): string {
  const body = event.body;
  if (
    typeof body === 'object' &&
    body !== null &&
    'Body' in body &&
    typeof body.Body === 'string'
  ) {
    return body.Body;
  }
  return typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
}
