import { SetQueueAttributesCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { ReceivedEvent } from '@drift-detective/pipeline';
import {
  faults,
  startFaultProxy,
  startMotoServer,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { truncateUtf8, utf8Bytes } from '../../src/sqs/message-text.js';
import {
  DEAD_LETTER_ATTRIBUTES,
  MAX_REASON_BYTES,
  SqsDeadLetterSink,
} from '../../src/sqs/sqs-dead-letter.js';
import {
  clientOptions,
  CollectingLogger,
  counts,
  createQueue,
  drain,
  sqsClient,
} from './fixtures.js';

let moto: MotoServer;
let sqs: SQSClient;

beforeAll(async () => {
  moto = await startMotoServer();
  sqs = sqsClient(moto.endpoint);
}, 60_000);
afterAll(async () => {
  sqs.destroy();
  await moto.stop();
});
beforeEach(() => moto.reset());

/** A received event as the SQS source hands it out (body: the SQS message). */
function received(id: string, body: string, receiveCount = 3): ReceivedEvent {
  return {
    id,
    body: { MessageId: id, Body: body, ReceiptHandle: 'rh' },
    receiveCount,
    source: `sqs:config-changes/${id}`,
    ack: () => Promise.resolve(),
    nack: () => Promise.resolve(),
  };
}

const reasonOf = (message: Message) =>
  message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? '';

describe('SqsDeadLetterSink', () => {
  it('sends the original Body to the given queue, with the reason cut to its limit', async () => {
    const dlq = await createQueue(sqs, 'given-dlq');
    const sink = new SqsDeadLetterSink({ client: sqs, deadLetterQueueUrl: dlq.url });
    const reason = `NormalizeError: ${'é'.repeat(3000)}`;

    await sink.put(received('m-1', '{"half": '), reason);

    const [letter] = await drain(sqs, dlq, 1);
    expect(letter?.Body).toBe('{"half": ');
    const sent = reasonOf(letter!);
    expect(utf8Bytes(sent)).toBeLessThanOrEqual(MAX_REASON_BYTES);
    expect(sent.endsWith('…')).toBe(true);
    expect(reason.startsWith(sent.slice(0, -1))).toBe(true);
    const attributes = letter?.MessageAttributes ?? {};
    // Without a source queue URL the event's source names it.
    expect(attributes[DEAD_LETTER_ATTRIBUTES.sourceQueue]?.StringValue).toBe(
      'sqs:config-changes/m-1',
    );
    expect(attributes[DEAD_LETTER_ATTRIBUTES.receiveCount]).toMatchObject({
      DataType: 'Number',
      StringValue: '3',
    });
  });

  it("finds the dead-letter queue through the source queue's RedrivePolicy", async () => {
    const dlq = await createQueue(sqs, 'redrive-dlq');
    const queue = await createQueue(sqs, 'redriven', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
    });
    const sink = new SqsDeadLetterSink({ client: sqs, sourceQueueUrl: queue.url });

    expect(await sink.deadLetterQueueUrl()).toBe(dlq.url);
    await sink.put(received('m-2', 'not json'), 'NormalizeError: Body is not valid JSON');

    const [letter] = await drain(sqs, dlq, 1);
    expect(letter?.Body).toBe('not json');
    expect(reasonOf(letter!)).toBe('NormalizeError: Body is not valid JSON');
    expect(letter?.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.sourceQueue]?.StringValue).toBe(
      queue.url,
    );
    expect(await counts(sqs, queue)).toEqual({ visible: 0, notVisible: 0 });
  });

  it('throws a clear error when no dead-letter queue is configured', async () => {
    const queue = await createQueue(sqs, 'no-redrive');
    await expect(
      new SqsDeadLetterSink({ client: sqs, sourceQueueUrl: queue.url }).put(
        received('m-3', 'x'),
        'r',
      ),
    ).rejects.toThrow(`no dead-letter queue configured: queue ${queue.url} has no RedrivePolicy`);
    await expect(
      new SqsDeadLetterSink({ client: sqs }).put(received('m-4', 'x'), 'r'),
    ).rejects.toThrow(/no dead-letter queue configured: pass deadLetterQueueUrl/);
  });

  it('looks the RedrivePolicy up again after it was missing', async () => {
    const dlq = await createQueue(sqs, 'later-dlq');
    const queue = await createQueue(sqs, 'later-redrive');
    const sink = new SqsDeadLetterSink({ client: sqs, sourceQueueUrl: queue.url });
    await expect(sink.put(received('m-5', 'x'), 'r')).rejects.toThrow(/no RedrivePolicy/);

    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue.url,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
        },
      }),
    );
    await sink.put(received('m-5', 'x'), 'r');
    expect((await counts(sqs, dlq)).visible).toBe(1);
  });

  it("cuts the reason to fit the dead-letter queue's maximum message size", async () => {
    // 1024 bytes is the smallest MaximumMessageSize SQS allows.
    const dlq = await createQueue(sqs, 'small-dlq', { MaximumMessageSize: '1024' });
    const sink = new SqsDeadLetterSink({ client: sqs, deadLetterQueueUrl: dlq.url });
    const body = 'b'.repeat(700);

    await sink.put(received('m-6', body), 'r'.repeat(1000));

    const [letter] = await drain(sqs, dlq, 1);
    const attributes = letter?.MessageAttributes ?? {};
    const size =
      utf8Bytes(letter?.Body ?? '') +
      Object.entries(attributes).reduce(
        (sum, [name, v]) =>
          sum + utf8Bytes(name) + utf8Bytes(v.DataType ?? '') + utf8Bytes(v.StringValue ?? ''),
        0,
      );
    expect(size).toBeLessThanOrEqual(1024);
    expect(size).toBeGreaterThan(1000);
    expect(reasonOf(letter!)).toMatch(/^r+…$/);
  });

  it('dead-letters all the same when the queue size cannot be read, cut to 256 KiB, with a warning', async () => {
    const dlq = await createQueue(sqs, 'unreadable-dlq');
    // A role allowed sqs:SendMessage on the queue but not sqs:GetQueueAttributes.
    const proxy = await startFaultProxy({
      target: moto.endpoint,
      plan: (request) =>
        request.operation === 'GetQueueAttributes' ? faults.throttle('AccessDenied') : null,
    });
    const denied = new SQSClient(clientOptions(proxy.endpoint));
    try {
      const logger = new CollectingLogger();
      const sink = new SqsDeadLetterSink({ client: denied, deadLetterQueueUrl: dlq.url, logger });
      const body = 'b'.repeat(262_144 - 600);

      await sink.put(received('m-10', body), 'r'.repeat(2000));

      expect(proxy.injected.map((i) => i.operation)).toEqual(['GetQueueAttributes']);
      expect(logger.lines).toEqual([
        {
          level: 'warn',
          message: expect.stringMatching(/MaximumMessageSize unreadable/),
          fields: expect.objectContaining({
            deadLetterQueueUrl: dlq.url,
            fallbackBytes: 262_144,
            error: expect.stringMatching(/AccessDenied/),
          }),
        },
      ]);
      const [letter] = await drain(sqs, dlq, 1);
      expect(letter?.Body).toBe(body);
      const attributes = letter?.MessageAttributes ?? {};
      const size =
        utf8Bytes(letter?.Body ?? '') +
        Object.entries(attributes).reduce(
          (sum, [name, v]) =>
            sum + utf8Bytes(name) + utf8Bytes(v.DataType ?? '') + utf8Bytes(v.StringValue ?? ''),
          0,
        );
      // moto's queue takes 1 MiB: only the fallback cut the reason this short.
      expect(size).toBeLessThanOrEqual(262_144);
      expect(size).toBeGreaterThan(262_144 - 16);
      expect(reasonOf(letter!)).toMatch(/^r+…$/);
    } finally {
      denied.destroy();
      await proxy.stop();
    }
  });

  it('replaces characters SQS rejects in the reason', async () => {
    const dlq = await createQueue(sqs, 'text-dlq');
    const sink = new SqsDeadLetterSink({ client: sqs, deadLetterQueueUrl: dlq.url });
    await sink.put(received('m-7', 'x'), 'bad\u0000byte\u0007');
    const [letter] = await drain(sqs, dlq, 1);
    expect(reasonOf(letter!)).toBe('bad\uFFFDbyte\uFFFD');
  });

  it('sends to a FIFO dead-letter queue once per message', async () => {
    const dlq = await createQueue(sqs, 'dead.fifo', { FifoQueue: 'true' });
    const sink = new SqsDeadLetterSink({ client: sqs, deadLetterQueueUrl: dlq.url });
    await sink.put(received('m-8', 'x'), 'first try');
    await sink.put(received('m-8', 'x'), 'repeated put');
    await sink.put(received('m-9', 'y'), 'another message');
    const letters = await drain(sqs, dlq, 2);
    expect(letters.map((l) => l.Body).sort()).toEqual(['x', 'y']);
    expect(await counts(sqs, dlq)).toEqual({ visible: 0, notVisible: 2 });
  });
});

describe('truncateUtf8', () => {
  it('keeps whole code points and marks the cut', () => {
    expect(truncateUtf8('short', 10)).toBe('short');
    expect(truncateUtf8('😀😀😀', 8)).toBe('😀…');
    expect(utf8Bytes(truncateUtf8('é'.repeat(10), 8))).toBeLessThanOrEqual(8);
  });
});
