import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { SqliteStateStore, type FindingRecord } from '@drift-detective/findings';
import type { EventSource, LogFn, PipelineLogger, Publisher } from '@drift-detective/pipeline';

import { ACCOUNT, REGION } from '../../src/testing/config-events.js';

export { ACCOUNT, REGION };
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: REGION, credentials });
}

export const clientOptions = (endpoint: string) => ({ endpoint, region: REGION, credentials });

export interface Queue {
  readonly url: string;
  readonly arn: string;
}

export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<Queue> {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const url = created.QueueUrl!;
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: out.Attributes!['QueueArn']! };
}

export async function send(sqs: SQSClient, queue: Queue, body: string): Promise<string> {
  const out = await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
  return out.MessageId!;
}

export interface Counts {
  readonly visible: number;
  readonly notVisible: number;
}

export async function counts(sqs: SQSClient, queue: Queue): Promise<Counts> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(out.Attributes!['ApproximateNumberOfMessages']),
    notVisible: Number(out.Attributes!['ApproximateNumberOfMessagesNotVisible']),
  };
}

/** Every message the queue holds now, received with all attributes (short polling). */
export async function drain(sqs: SQSClient, queue: Queue, expected: number): Promise<Message[]> {
  const messages: Message[] = [];
  await waitUntil(async () => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    messages.push(...(out.Messages ?? []));
    return messages.length >= expected;
  }, `${expected} messages in ${queue.url}`);
  return messages;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until the condition holds; fails naming what it waited for. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export async function tempStore(): Promise<SqliteStateStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-sqs-'));
  return new SqliteStateStore(path.join(dir, 'state.db'));
}

/** Collects what it is asked to publish; a hook can slow or fail a call. */
export class CollectingPublisher implements Publisher {
  readonly batches: FindingRecord[][] = [];
  calls = 0;
  hook: ((batch: readonly FindingRecord[], call: number) => Promise<void>) | undefined;

  async publish(batch: readonly FindingRecord[]): Promise<void> {
    this.calls += 1;
    await this.hook?.(batch, this.calls);
    this.batches.push([...batch]);
  }

  get published(): FindingRecord[] {
    return this.batches.flat();
  }
}

/** Records log lines by level. */
export class CollectingLogger implements PipelineLogger {
  readonly lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  private at =
    (level: string): LogFn =>
    (fields, message) =>
      this.lines.push({ level, message, fields });
  readonly debug = this.at('debug');
  readonly info = this.at('info');
  readonly warn = this.at('warn');
  readonly error = this.at('error');

  messages(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}

/** Passes a source through, noting each event it hands out and when. */
export function tapped(source: EventSource): {
  source: EventSource;
  seen: { id: string; receiveCount: number; at: number }[];
} {
  const seen: { id: string; receiveCount: number; at: number }[] = [];
  return {
    seen,
    source: {
      async *[Symbol.asyncIterator]() {
        for await (const event of source) {
          seen.push({ id: event.id, receiveCount: event.receiveCount, at: Date.now() });
          yield event;
        }
      },
    },
  };
}

export {
  bucketArn,
  bucketChangeDetail,
  bucketChangeEventText,
} from '../../src/testing/config-events.js';
