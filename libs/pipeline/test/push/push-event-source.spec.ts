import type { SqliteStateStore } from '@drift-detective/findings';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine } from '@drift-detective/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryMetrics, runEvents, type ReceivedEvent } from '../../src/index.js';
import { pushAnswer } from '../../src/push/push-answer.js';
import { pushEventSource, type PushEventSource } from '../../src/push/push-event-source.js';
import type { ReceivedEventInit } from '../../src/push/delivery.js';
import { RecordingDeadLetter, RecordingPublisher, tempStore, testInventory } from '../fixtures.js';

const init = (id: string, items: unknown[], receiveCount = 1): ReceivedEventInit => ({
  id,
  body: { items },
  receiveCount,
  source: `push:${id}`,
});

/** Reads the source by hand: the test decides when each event is acked. */
function consumer(push: PushEventSource) {
  const iterator = push.source[Symbol.asyncIterator]();
  return {
    next: async (): Promise<ReceivedEvent> => (await iterator.next()).value as ReceivedEvent,
    iterator,
  };
}

describe('pushEventSource with runEvents', () => {
  let engine: PolicyEngine;
  let store: SqliteStateStore;
  let publisher: RecordingPublisher;
  let deadLetter: RecordingDeadLetter;
  beforeAll(async () => {
    engine = await builtPolicyEngine();
  });
  beforeEach(async () => {
    ({ store } = await tempStore());
    publisher = new RecordingPublisher();
    deadLetter = new RecordingDeadLetter();
  });
  afterEach(async () => {
    await store.close();
  });

  const start = (push: PushEventSource) =>
    runEvents(push.source, {
      inventory: testInventory,
      engine,
      store,
      publisher,
      deadLetter,
      metrics: createMemoryMetrics(),
    });

  it('answers acked only once the finding is published, and a replay ×10 changes nothing', async () => {
    const push = pushEventSource({ maxBuffered: 4 });
    const running = start(push);
    const first = await push.deliver([init('e1', [{ name: 'web', public: true }])]);
    expect(first).toEqual([{ id: 'e1', status: 'acked' }]);
    expect(publisher.published.map((f) => f.ruleId)).toEqual(['DD-STORAGE-001']);
    const replays = await Promise.all(
      Array.from({ length: 10 }, () =>
        push.deliver([init('e1', [{ name: 'web', public: true }], 2)]),
      ),
    );
    expect(replays.flat().every((o) => o.status === 'acked')).toBe(true);
    expect(publisher.batches).toHaveLength(1);
    expect(await store.list()).toHaveLength(1);
    push.close();
    expect(await running).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
  });

  it('dead-letters a poison event and acks its batch-mates: the batch answers 200', async () => {
    const push = pushEventSource({ maxBuffered: 4 });
    const running = start(push);
    const outcomes = await push.deliver([
      init('good', [{ name: 'web', public: true }]),
      init('poison', [{ broken: true }]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['acked', 'acked']);
    expect(pushAnswer(outcomes)).toEqual({ status: 200 });
    expect(deadLetter.items.map((d) => d.id)).toEqual(['poison']);
    push.close();
    await running;
  });

  it('answers 503 when an event fails for now, and the redelivery is judged again', async () => {
    const push = pushEventSource({ maxBuffered: 4 });
    const running = start(push);
    publisher.failing = true;
    const failed = await push.deliver([init('e1', [{ name: 'web', public: true }])]);
    expect(failed[0]).toMatchObject({
      id: 'e1',
      status: 'nacked',
      reason: 'Error: hub unavailable',
    });
    const answer = pushAnswer(failed);
    expect(answer.status).toBe(503);
    publisher.failing = false;
    expect(await push.deliver([init('e1', [{ name: 'web', public: true }], 2)])).toEqual([
      { id: 'e1', status: 'acked' },
    ]);
    expect(publisher.published).toHaveLength(1);
    push.close();
    await running;
  });
});

describe('pushEventSource backpressure and draining', () => {
  it('lets a delivery wait for room, then admits it when an event settles', async () => {
    const push = pushEventSource({ maxBuffered: 1 });
    const reader = consumer(push);
    const a = push.deliver([init('a', [])]);
    const b = push.deliver([init('b', [])]);
    const first = await reader.next();
    expect(first.id).toBe('a');
    let bDone = false;
    void b.then(() => (bDone = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(bDone).toBe(false);
    await first.ack();
    expect(await a).toEqual([{ id: 'a', status: 'acked' }]);
    const second = await reader.next();
    await second.nack('later', 5000);
    expect(await b).toEqual([{ id: 'b', status: 'nacked', reason: 'later', retryAfterMs: 5000 }]);
  });

  it('answers busy at once when too many deliveries already wait', async () => {
    const push = pushEventSource({ maxBuffered: 1, maxWaiting: 1 });
    void push.deliver([init('a', [])]);
    void push.deliver([init('b', [])]);
    const answer = await push.deliver([init('c', []), init('d', [])]);
    expect(answer).toEqual([
      { id: 'c', status: 'refused', reason: 'busy' },
      { id: 'd', status: 'refused', reason: 'busy' },
    ]);
    expect(pushAnswer(answer)).toMatchObject({ status: 503, retryAfterSeconds: 30 });
  });

  it('answers timeout at the caller deadline; the admitted event still finishes', async () => {
    const push = pushEventSource({ maxBuffered: 1 });
    const reader = consumer(push);
    const controller = new AbortController();
    const pending = push.deliver([init('a', []), init('b', [])], controller.signal);
    const a = await reader.next();
    controller.abort();
    expect(await pending).toEqual([
      { id: 'a', status: 'refused', reason: 'timeout' },
      { id: 'b', status: 'refused', reason: 'timeout' },
    ]);
    await a.ack();
    // Acked after its caller gave up: the redelivery is answered at once.
    expect(await push.deliver([init('a', [])])).toEqual([{ id: 'a', status: 'acked' }]);
  });

  it('joins a redelivery of an event still in hand instead of handling it twice', async () => {
    const push = pushEventSource({ maxBuffered: 2 });
    const reader = consumer(push);
    const one = push.deliver([init('a', [])]);
    const two = push.deliver([init('a', [])]);
    const a = await reader.next();
    await a.ack();
    expect(await Promise.all([one, two])).toEqual([
      [{ id: 'a', status: 'acked' }],
      [{ id: 'a', status: 'acked' }],
    ]);
  });

  it('after close refuses new and waiting deliveries, finishes accepted ones, then ends', async () => {
    const push = pushEventSource({ maxBuffered: 1 });
    const reader = consumer(push);
    const accepted = push.deliver([init('a', [])]);
    const waiting = push.deliver([init('b', [])]);
    const a = await reader.next();
    push.close();
    expect(await waiting).toEqual([{ id: 'b', status: 'refused', reason: 'closing' }]);
    expect(await push.deliver([init('c', [])])).toEqual([
      { id: 'c', status: 'refused', reason: 'closing' },
    ]);
    await a.ack();
    expect(await accepted).toEqual([{ id: 'a', status: 'acked' }]);
    expect(await reader.iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('refuses bad sizes', () => {
    expect(() => pushEventSource({ maxBuffered: 0 })).toThrow(RangeError);
  });
});
