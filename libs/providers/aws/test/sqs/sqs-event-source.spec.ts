import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SqliteStateStore } from '@drift-detective/findings';
import { runEvents, type EventOptions } from '@drift-detective/pipeline';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine, startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsInventory } from '../../src/index.js';
import { DEAD_LETTER_ATTRIBUTES, SqsDeadLetterSink } from '../../src/sqs/sqs-dead-letter.js';
import { sqsEventSource, type SqsEventSourceOptions } from '../../src/sqs/sqs-event-source.js';
import {
  bucketArn,
  bucketChangeDetail,
  bucketChangeEventText,
  clientOptions,
  CollectingLogger,
  CollectingPublisher,
  counts,
  createQueue,
  drain,
  send,
  sleep,
  sqsClient,
  tapped,
  tempStore,
  waitUntil,
  type Queue,
} from './fixtures.js';

let moto: MotoServer;
let engine: PolicyEngine;
let sqs: SQSClient;
let store: SqliteStateStore;
let publisher: CollectingPublisher;
let controller: AbortController;

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
  controller = new AbortController();
});
afterEach(async () => {
  controller.abort();
  await store.close();
});

/** A dead-letter sink that must not be used: these tests send nothing poisonous to it. */
const noDeadLetter = {
  put: () => Promise.reject(new Error('unexpected dead letter')),
};

function deps(deadLetter: { put: SqsDeadLetterSink['put'] } = noDeadLetter) {
  return { inventory: awsInventory, engine, store, publisher, deadLetter };
}

function source(queue: Queue, options: Partial<SqsEventSourceOptions> = {}) {
  return sqsEventSource({
    client: sqs,
    queueUrl: queue.url,
    waitTimeSeconds: 1,
    signal: controller.signal,
    ...options,
  });
}

/** Runs the pipeline until `done`, then stops the source and returns the summary. */
async function runUntil(
  events: ReturnType<typeof sqsEventSource>,
  done: () => Promise<boolean>,
  what: string,
  options: EventOptions = {},
  deadLetter?: SqsDeadLetterSink,
) {
  const run = runEvents(events, deps(deadLetter), options);
  await waitUntil(done, what);
  controller.abort();
  return run;
}

const isEmpty = async (queue: Queue) => {
  const c = await counts(sqs, queue);
  return c.visible === 0 && c.notVisible === 0;
};

describe('sqsEventSource', () => {
  it('takes a Config change routed by an EventBridge rule to the queue, publishes its finding and deletes the message', async () => {
    const events = new EventBridgeClient(clientOptions(moto.endpoint));
    const queue = await createQueue(sqs, 'config-changes');
    await events.send(
      new PutRuleCommand({
        Name: 'config-item-changes',
        EventPattern: JSON.stringify({
          source: ['aws.config'],
          'detail-type': [
            'Config Configuration Item Change',
            'Oversized Configuration Item Change',
          ],
        }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'config-item-changes',
        Targets: [{ Id: 'drift-detective', Arn: queue.arn }],
      }),
    );
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'aws.config',
            DetailType: 'Config Configuration Item Change',
            Detail: JSON.stringify(bucketChangeDetail('acme-reports-open')),
            Resources: [bucketArn('acme-reports-open')],
          },
        ],
      }),
    );
    events.destroy();
    expect(put.FailedEntryCount).toBe(0);

    // The default 20 s long poll: stopping must cut it, not wait it out.
    const run = runEvents(
      sqsEventSource({ client: sqs, queueUrl: queue.url, signal: controller.signal }),
      deps(),
    );
    await waitUntil(
      async () => publisher.published.length > 0 && (await isEmpty(queue)),
      'the finding published and the message deleted',
    );
    const stoppedAt = Date.now();
    controller.abort();
    const summary = await run;

    expect(Date.now() - stoppedAt).toBeLessThan(3000);
    expect(summary).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    const finding = publisher.published.find((f) => f.ruleId === 'DD-STORAGE-001');
    expect(finding).toMatchObject({
      severity: 'HIGH',
      status: 'ACTIVE',
      resourceId: bucketArn('acme-reports-open'),
      account: '123456789012',
    });
    expect(finding?.message).toMatch(/4 of 4 Block Public Access settings are off/);
    expect(await counts(sqs, queue)).toEqual({ visible: 0, notVisible: 0 });
  });

  it('dead-letters a Body that is not JSON with its reason, and processes the good message sent after it', async () => {
    const dlq = await createQueue(sqs, 'config-changes-dlq');
    const queue = await createQueue(sqs, 'config-changes', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 10 }),
    });
    const poisonId = await send(sqs, queue, 'not json');
    await send(sqs, queue, bucketChangeEventText('acme-after-poison'));

    const summary = await runUntil(
      source(queue),
      async () =>
        publisher.published.length > 0 &&
        (await isEmpty(queue)) &&
        (await counts(sqs, dlq)).visible === 1,
      'one message processed, one dead-lettered',
      { concurrency: 1 },
      new SqsDeadLetterSink({ client: sqs, sourceQueueUrl: queue.url }),
    );

    expect(summary).toEqual({ acked: 1, retried: 0, deadLettered: 1 });
    expect(publisher.published.map((f) => f.resourceId)).toContain(bucketArn('acme-after-poison'));
    const [letter] = await drain(sqs, dlq, 1);
    expect(letter?.Body).toBe('not json');
    const attributes = letter?.MessageAttributes ?? {};
    expect(attributes[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).toMatch(
      /^NormalizeError: .*Body is not valid JSON/,
    );
    expect(attributes[DEAD_LETTER_ATTRIBUTES.sourceQueue]?.StringValue).toBe(queue.url);
    expect(attributes[DEAD_LETTER_ATTRIBUTES.receiveCount]).toMatchObject({
      DataType: 'Number',
      StringValue: '1',
    });
    expect(attributes[DEAD_LETTER_ATTRIBUTES.messageId]?.StringValue).toBe(poisonId);
  });

  it('keeps extending a slow message past the visibility timeout, so it is delivered once', async () => {
    // No visibilityTimeoutSeconds: the source reads the queue's 2 s.
    const queue = await createQueue(sqs, 'slow-changes', { VisibilityTimeout: '2' });
    await send(sqs, queue, bucketChangeEventText('acme-slow'));
    let stolen = -1;
    publisher.hook = async () => {
      await sleep(3000);
      // Past the 2 s timeout: without the heartbeat another consumer gets the message.
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 0 }),
      );
      stolen = out.Messages?.length ?? 0;
      await sleep(2000);
    };
    const tap = tapped(source(queue));

    const summary = await runUntil(
      tap.source,
      async () => publisher.batches.length > 0 && (await isEmpty(queue)),
      'the slow message done',
    );

    expect(stolen).toBe(0);
    expect(tap.seen.map((e) => e.receiveCount)).toEqual([1]);
    expect(publisher.calls).toBe(1);
    expect(summary).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
  }, 20_000);

  it('hands a failed message back for the retry delay, then gets it again with a higher receive count', async () => {
    const queue = await createQueue(sqs, 'flaky-changes');
    await send(sqs, queue, bucketChangeEventText('acme-flaky'));
    publisher.hook = async (_batch, call) => {
      if (call === 1) throw new Error('hub unavailable');
    };
    const tap = tapped(source(queue));

    // Delay bound 2000 ms × 0.999 → 1998 ms → ChangeMessageVisibility 2 s.
    const summary = await runUntil(
      tap.source,
      async () => publisher.batches.length > 0 && (await isEmpty(queue)),
      'the retried message done',
      { backoffBaseMs: 2000, random: () => 0.999 },
    );

    expect(summary).toEqual({ acked: 1, retried: 1, deadLettered: 0 });
    expect(tap.seen.map((e) => e.receiveCount)).toEqual([1, 2]);
    const gap = tap.seen[1]!.at - tap.seen[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(1900);
    expect(gap).toBeLessThan(5000);
  }, 20_000);

  it('on abort, finishes the event in flight and makes the buffered messages visible at once', async () => {
    // 30 s timeout: only the release can make the buffered messages visible within the test.
    const queue = await createQueue(sqs, 'drained-changes', { VisibilityTimeout: '30' });
    for (const bucket of ['acme-drain-1', 'acme-drain-2', 'acme-drain-3']) {
      await send(sqs, queue, bucketChangeEventText(bucket));
    }
    let entered!: () => void;
    const inPublish = new Promise<void>((resolve) => (entered = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    publisher.hook = async () => {
      entered();
      await gate;
    };

    const run = runEvents(source(queue, { maxMessages: 10 }), deps(), { concurrency: 1 });
    await inPublish;
    // One handed out, two received into the buffer.
    expect(await counts(sqs, queue)).toEqual({ visible: 0, notVisible: 3 });
    controller.abort();
    await waitUntil(
      async () => (await counts(sqs, queue)).visible === 2,
      'the buffered messages released',
      2000,
    );
    expect((await counts(sqs, queue)).notVisible).toBe(1);
    open();
    const summary = await run;

    expect(summary).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    expect(publisher.batches).toHaveLength(1);
    expect(await counts(sqs, queue)).toEqual({ visible: 2, notVisible: 0 });
    const left = await drain(sqs, queue, 2);
    // Received once by the source and released, not left unread.
    expect(left.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['2', '2']);
  });

  it('holds at most maxBuffered received messages that are not yet acked or nacked', async () => {
    const queue = await createQueue(sqs, 'bounded-changes');
    const buckets = ['acme-b1', 'acme-b2', 'acme-b3', 'acme-b4', 'acme-b5'];
    for (const bucket of buckets) await send(sqs, queue, bucketChangeEventText(bucket));
    let mostHeld = 0;
    publisher.hook = async () => {
      mostHeld = Math.max(mostHeld, (await counts(sqs, queue)).notVisible);
      await sleep(700);
      mostHeld = Math.max(mostHeld, (await counts(sqs, queue)).notVisible);
    };

    const summary = await runUntil(
      source(queue, { maxBuffered: 2 }),
      async () => publisher.batches.length === buckets.length && (await isEmpty(queue)),
      'all five done',
      { concurrency: 4 },
    );

    expect(summary.acked).toBe(5);
    expect(mostHeld).toBe(2);
  }, 20_000);

  it('logs a failing receive and retries it until the queue answers', async () => {
    const logger = new CollectingLogger();
    const late: Queue = { url: `${moto.endpoint}/123456789012/late-changes`, arn: '' };
    const run = runEvents(source(late, { logger, retryBaseMs: 50, retryCapMs: 200 }), deps());
    await waitUntil(
      () => logger.messages('warn').filter((m) => m === 'SQS receive failed: retrying').length >= 2,
      'two failed receives',
    );
    const queue = await createQueue(sqs, 'late-changes');
    expect(queue.url).toBe(late.url);
    await send(sqs, queue, bucketChangeEventText('acme-late'));
    await waitUntil(
      async () => publisher.batches.length > 0 && (await isEmpty(queue)),
      'the late message done',
    );
    controller.abort();

    expect(await run).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    const failure = logger.lines.find((l) => l.message === 'SQS receive failed: retrying');
    expect(failure?.fields['error']).toMatch(/NonExistentQueue|QueueDoesNotExist/);
  });

  it('rejects options outside the documented ReceiveMessage bounds', () => {
    const queueUrl = `${moto.endpoint}/123456789012/any`;
    expect(() => sqsEventSource({ client: sqs, queueUrl, maxMessages: 11 })).toThrow(RangeError);
    expect(() => sqsEventSource({ client: sqs, queueUrl, waitTimeSeconds: 21 })).toThrow(
      /waitTimeSeconds must be an integer in 0…20/,
    );
    expect(() =>
      sqsEventSource({ client: sqs, queueUrl, visibilityTimeoutSeconds: 43_201 }),
    ).toThrow(RangeError);
    expect(() => sqsEventSource({ client: sqs, queueUrl, maxBuffered: 0 })).toThrow(RangeError);
  });
});
