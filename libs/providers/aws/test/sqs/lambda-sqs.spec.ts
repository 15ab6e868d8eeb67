import { lambdaSqsRecord } from '../../src/testing/lambda-events.js';
import { ChangeMessageVisibilityCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SqliteStateStore } from '@drift-detective/findings';
import { runEvents, type EventSource, type ReceivedEvent } from '@drift-detective/pipeline';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine, startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsInventory } from '../../src/index.js';
import {
  lambdaSqsEvents,
  type SqsLambdaEvent,
  type SqsLambdaRecord,
} from '../../src/sqs/lambda-sqs.js';
import { SqsDeadLetterSink } from '../../src/sqs/sqs-dead-letter.js';
import {
  bucketArn,
  bucketChangeEventText,
  CollectingPublisher,
  createQueue,
  drain,
  send,
  sqsClient,
  tempStore,
  type Queue,
} from './fixtures.js';

let moto: MotoServer;
let engine: PolicyEngine;
let sqs: SQSClient;
let store: SqliteStateStore;
let publisher: CollectingPublisher;

beforeAll(async () => {
  [moto, engine] = await Promise.all([startMotoServer(), builtPolicyEngine()]);
  sqs = sqsClient(moto.endpoint);
}, 60_000);
afterAll(async () => {
  sqs.destroy();
  await moto.stop();
});
beforeEach(async () => {
  await moto.reset();
  store = await tempStore();
  publisher = new CollectingPublisher();
});
afterEach(async () => {
  await store.close();
});

const lambdaRecord = (message: Message, queue: Queue) => lambdaSqsRecord(message, queue.arn);

/** A record built by hand, for the adapter's bookkeeping alone. */
function record(
  messageId: string,
  queueArn = 'arn:aws:sqs:us-east-1:123456789012:q',
): SqsLambdaRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: '{}',
    attributes: { ApproximateReceiveCount: '1' },
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
  };
}

/** Every event of a source (Array.fromAsync is Node 22+). */
async function collect(source: EventSource): Promise<ReceivedEvent[]> {
  const events: ReceivedEvent[] = [];
  for await (const event of source) events.push(event);
  return events;
}

const ids = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((f) => f.itemIdentifier).sort();

describe('lambdaSqsEvents', () => {
  it('names exactly the records that failed: poison without a DLQ, and a failed publish', async () => {
    const queue = await createQueue(sqs, 'lambda-changes');
    const goodId = await send(sqs, queue, bucketChangeEventText('acme-lambda-good'));
    const poisonId = await send(sqs, queue, 'not json');
    const failingId = await send(sqs, queue, bucketChangeEventText('acme-lambda-hub-down'));
    publisher.hook = async (batch) => {
      if (batch.some((f) => f.resourceId === bucketArn('acme-lambda-hub-down'))) {
        throw new Error('hub rejected the batch');
      }
    };
    const messages = await drain(sqs, queue, 3);
    const event: SqsLambdaEvent = { Records: messages.map((m) => lambdaRecord(m, queue)) };

    const batch = lambdaSqsEvents(event);
    const summary = await runEvents(batch.source, {
      inventory: awsInventory,
      engine,
      store,
      publisher,
      // The queue has no RedrivePolicy: the poison cannot be dead-lettered, so it fails.
      deadLetter: new SqsDeadLetterSink({ client: sqs, sourceQueueUrl: queue.url }),
    });

    expect(ids(batch.failures())).toEqual([poisonId, failingId].sort());
    expect(summary).toEqual({ acked: 1, retried: 2, deadLettered: 0 });
    expect(publisher.published.map((f) => f.resourceId)).toContain(bucketArn('acme-lambda-good'));
    expect(ids(batch.failures())).not.toContain(goodId);
  });

  it('hands the pipeline the body as an SQS message, with the receive count and source', async () => {
    const batch = lambdaSqsEvents({
      Records: [{ ...record('m-1'), body: 'text', attributes: { ApproximateReceiveCount: '4' } }],
    });
    const seen = await collect(batch.source);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      id: 'm-1',
      body: { Body: 'text', MessageId: 'm-1' },
      receiveCount: 4,
      source: 'sqs:q/m-1',
    });
  });

  it('counts a record never acked nor nacked as failed', async () => {
    const batch = lambdaSqsEvents({ Records: [record('a'), record('b'), record('c')] });
    expect(ids(batch.failures())).toEqual(['a', 'b', 'c']);
    for await (const e of batch.source) {
      await e.ack();
      break;
    }
    expect(ids(batch.failures())).toEqual(['b', 'c']);
  });

  it('keeps the first outcome of a record', async () => {
    const batch = lambdaSqsEvents({ Records: [record('a'), record('b')] });
    const [a, b] = await collect(batch.source);
    await a!.nack('failed', 1000);
    await a!.ack();
    await b!.ack();
    await b!.nack('late', 1000);
    expect(ids(batch.failures())).toEqual(['a']);
  });

  it('on a FIFO queue also fails every record after the first failure', async () => {
    const fifo = 'arn:aws:sqs:us-east-1:123456789012:changes.fifo';
    const batch = lambdaSqsEvents({
      Records: [record('a', fifo), record('b', fifo), record('c', fifo)],
    });
    const [a, b, c] = await collect(batch.source);
    await a!.ack();
    await b!.nack('failed', 1000);
    await c!.ack();
    expect(batch.failures().batchItemFailures).toEqual([
      { itemIdentifier: 'b' },
      { itemIdentifier: 'c' },
    ]);
  });

  it('with a delay, makes a nacked record visible after its retry delay, and keeps it failed when that fails', async () => {
    const delays: [string, number][] = [];
    const failed: string[] = [];
    const batch = lambdaSqsEvents(
      { Records: [record('a'), record('b'), record('c')] },
      {
        delay: async (r, seconds) => {
          if (r.messageId === 'b') throw new Error('ReceiptHandleIsInvalid');
          delays.push([r.receiptHandle!, seconds]);
        },
        onDelayFailed: (r, error) => failed.push(`${r.messageId}: ${(error as Error).message}`),
      },
    );
    const [a, b, c] = await collect(batch.source);
    await a!.nack('failed', 1500);
    await b!.nack('failed', 0);
    await c!.ack();
    await c!.nack('late', 1000);
    // Rounded up to whole seconds; the acked record is not delayed.
    expect(delays).toEqual([['rh-a', 2]]);
    expect(failed).toEqual(['b: ReceiptHandleIsInvalid']);
    expect(ids(batch.failures())).toEqual(['a', 'b']);
  });

  it('hands a nacked message back to the queue after its delay: the next receive gets it', async () => {
    const queue = await createQueue(sqs, 'lambda-delayed');
    await send(sqs, queue, bucketChangeEventText('acme-lambda-delayed'));
    const [message] = await drain(sqs, queue, 1);
    const batch = lambdaSqsEvents(
      { Records: [lambdaRecord(message!, queue)] },
      {
        delay: async (r, seconds) => {
          await sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queue.url,
              ReceiptHandle: r.receiptHandle,
              VisibilityTimeout: seconds,
            }),
          );
        },
      },
    );
    const [event] = await collect(batch.source);
    await event!.nack('stopped', 0);
    // Visible again at once, not after the queue's visibility timeout.
    const [again] = await drain(sqs, queue, 1);
    expect(again?.MessageId).toBe(message!.MessageId);
  });

  it('refuses a record that is not from SQS', () => {
    const sns = { ...record('a'), eventSource: 'aws:sns' } as unknown as SqsLambdaRecord;
    expect(() => lambdaSqsEvents({ Records: [sns] })).toThrow(/Records\[0\] is not from SQS/);
  });
});
