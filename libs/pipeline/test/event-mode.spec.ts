import type { SqliteStateStore } from '@drift-detective/findings';
import { EvaluationError, type PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine } from '@drift-detective/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryMetrics, retryDelayMs, runEvents, type MemoryMetrics } from '../src/index.js';
import {
  arn,
  events,
  RecordingDeadLetter,
  RecordingPublisher,
  tempStore,
  TestEvent,
  testInventory,
} from './fixtures.js';

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await builtPolicyEngine();
});

let store: SqliteStateStore;
let publisher: RecordingPublisher;
let deadLetter: RecordingDeadLetter;
let metrics: MemoryMetrics;
let order: string[];

beforeEach(async () => {
  ({ store } = await tempStore());
  publisher = new RecordingPublisher();
  deadLetter = new RecordingDeadLetter();
  metrics = createMemoryMetrics();
  order = [];
});
afterEach(async () => {
  await store.close();
});

const deps = () => ({ inventory: testInventory, engine, store, publisher, deadLetter, metrics });
const event = (id: string, items: unknown[], receiveCount = 1) =>
  new TestEvent(id, { items }, receiveCount, `test:${id}`, (what) => order.push(what));
const runOne = (e: TestEvent, options = {}) => runEvents(events(e), deps(), options);

describe('event mode', () => {
  it('resolves a deletion spelled in another case only for a provider whose ids ignore case', async () => {
    await runOne(event('c1', [{ name: 'web', public: true }]));
    const shouted = { deleted: 'WEB' }; // arn:aws:s3:::WEB: the same id, in another case
    // AWS ids are case-sensitive: another bucket, nothing to resolve.
    await runOne(event('c2', [shouted]));
    expect((await store.list()).map((f) => f.status)).toEqual(['ACTIVE']);
    // Where ids ignore case (Azure's ARM ids), the same notice resolves it, named as stored.
    await runEvents(events(event('c3', [shouted])), {
      ...deps(),
      inventory: { ...testInventory, caseInsensitiveIds: true },
    });
    expect((await store.list()).map((f) => [f.status, f.resolution, f.resourceId])).toEqual([
      ['RESOLVED', 'deleted', arn('web')],
    ]);
    expect(publisher.published.at(-1)).toMatchObject({
      resourceId: arn('web'),
      pendingTransition: 'resolved',
    });
  });

  it('opens, keeps, resolves and deletes a finding, acking each event only after publishing', async () => {
    const first = event('e1', [{ name: 'web', public: true }]);
    await runOne(first);
    expect(publisher.published.map((f) => [f.ruleId, f.pendingTransition, f.resourceId])).toEqual([
      ['DD-STORAGE-001', 'new', arn('web')],
    ]);
    expect(first.acked).toBe(true);
    expect(await store.unpublished()).toEqual([]);
    expect((await store.list())[0]?.publishedAt).not.toBeNull();

    const again = event('e2', [{ name: 'web', public: true }]);
    await runOne(again);
    expect(publisher.batches).toHaveLength(1);
    expect(again.acked).toBe(true);

    const fixed = event('e3', [{ name: 'web', public: false }]);
    await runOne(fixed);
    expect(publisher.batches).toHaveLength(2);
    expect(publisher.batches[1]?.map((f) => [f.status, f.pendingTransition, f.resolution])).toEqual(
      [['RESOLVED', 'resolved', 'compliant']],
    );
    expect(fixed.acked).toBe(true);

    // Regress, then delete: the same finding reopens, then resolves as deleted.
    await runOne(event('e4', [{ name: 'web', public: true }]));
    expect(publisher.batches[2]?.[0]?.pendingTransition).toBe('reopened');
    const gone = event('e5', [{ deleted: 'web' }]);
    await runOne(gone);
    expect(publisher.batches[3]?.map((f) => [f.status, f.resolution])).toEqual([
      ['RESOLVED', 'deleted'],
    ]);
    expect(gone.acked).toBe(true);
    expect(await store.list()).toHaveLength(1);
    expect(metrics.value('drift_events_total', { outcome: 'acked' })).toBe(5);
    expect(metrics.value('drift_evaluations_total')).toBe(4);
    expect(metrics.value('drift_findings_transitions_total', { transition: 'new' })).toBe(1);
    expect(metrics.value('drift_findings_transitions_total', { transition: 'unchanged' })).toBe(1);
    expect(metrics.value('drift_findings_transitions_total', { transition: 'resolved' })).toBe(2);
    expect(metrics.value('drift_findings_transitions_total', { transition: 'reopened' })).toBe(1);
    expect(metrics.publishDurations).toHaveLength(4);
    // One duration per acked event, each at least as long as the publish it waited for.
    expect(metrics.eventDurations).toHaveLength(5);
    expect(Math.max(...metrics.eventDurations)).toBeGreaterThanOrEqual(
      Math.max(...metrics.publishDurations),
    );
  });

  it("observes each event's own latency apart from the hub's time within it", async () => {
    publisher.delayMs = 60;
    await runOne(event('h1', [{ name: 'web', public: true }]));
    await runOne(event('h2', [{ name: 'quiet', public: false }]));
    expect(metrics.eventDurations).toHaveLength(2);
    expect(metrics.eventOwnDurations).toHaveLength(2);
    const [published = 0, quiet = 0] = metrics.eventDurations;
    const [publishedOwn = 0, quietOwn = 0] = metrics.eventOwnDurations;
    // The event with a finding waited for the slow hub; its own part did not. (A 60 ms timer
    // may fire a fraction of a millisecond early by performance.now().)
    expect(published).toBeGreaterThanOrEqual(0.055);
    expect(published - publishedOwn).toBeGreaterThanOrEqual(0.055);
    expect(publishedOwn).toBeLessThan(published);
    // Nothing published: nothing to take off.
    expect(quietOwn).toBe(quiet);
  });

  it('nacks with backoff when the publisher fails, keeps the finding pending, publishes on the next delivery', async () => {
    publisher.failing = true;
    const first = event('e1', [{ name: 'web', public: true }], 3);
    await runOne(first, { random: () => 0.999, backoffBaseMs: 100 });
    expect(first.acked).toBe(false);
    // Third delivery: bound 100 · 2² = 400 ms, full jitter below it.
    expect(first.nacked?.retryAfterMs).toBeGreaterThanOrEqual(0);
    expect(first.nacked?.retryAfterMs).toBeLessThan(400);
    expect(first.nacked?.retryAfterMs).toBeGreaterThan(390);
    expect(first.nacked?.reason).toMatch(/hub unavailable/);
    expect((await store.unpublished()).map((f) => [f.pendingTransition, f.publishedAt])).toEqual([
      ['new', null],
    ]);
    expect(metrics.value('drift_events_total', { outcome: 'retried' })).toBe(1);
    expect(metrics.value('drift_errors_total', { kind: 'publish' })).toBe(1);

    publisher.failing = false;
    const retry = event('e1', [{ name: 'web', public: true }], 4);
    await runOne(retry);
    expect(publisher.published.map((f) => f.pendingTransition)).toEqual(['new']);
    expect(await store.unpublished()).toEqual([]);
    expect(retry.acked).toBe(true);
    expect(order).toEqual(['nack e1', 'ack e1']);
  });

  it('dead-letters a poison event with the reason, acks it and stores nothing', async () => {
    const notADocument = new TestEvent('p1', 'garbage', 1, 'queue:p1');
    const oversized = event('p2', [{ name: 'ok', public: true }, { broken: true }]);
    await runEvents(events(notADocument, oversized), deps());
    expect(deadLetter.items).toEqual([
      { id: 'p1', reason: 'NormalizeError: queue:p1: not a test document' },
      { id: 'p2', reason: 'NormalizeError: test:p2[1]: item too large' },
    ]);
    expect([notADocument.acked, oversized.acked]).toEqual([true, true]);
    // The readable bucket of the poison event was never judged either.
    expect(await store.list()).toEqual([]);
    expect(publisher.batches).toEqual([]);
    expect(metrics.value('drift_events_total', { outcome: 'dead_lettered' })).toBe(2);
    expect(metrics.value('drift_errors_total', { kind: 'normalize' })).toBe(2);
  });

  it('retries a policy runtime error, then dead-letters it once maxAttempts deliveries failed', async () => {
    const broken = {
      rules: engine.rules,
      evaluate: (r: { id: string }) => {
        throw new EvaluationError(r.id, 'wasm trap');
      },
    };
    const early = event('e1', [{ name: 'web', public: true }], 2);
    const last = event('e2', [{ name: 'web', public: true }], 3);
    await runEvents(events(early, last), { ...deps(), engine: broken }, { maxAttempts: 3 });
    expect(early.nacked?.reason).toMatch(/wasm trap/);
    expect(early.acked).toBe(false);
    expect(last.acked).toBe(true);
    expect(deadLetter.items).toEqual([
      { id: 'e2', reason: expect.stringMatching(/^after 3 attempts: .*wasm trap/) as string },
    ]);
    expect(await store.list()).toEqual([]);
    expect(metrics.value('drift_errors_total', { kind: 'evaluation' })).toBe(2);
  });

  it('never lets two events of one resource reconcile and publish at once', async () => {
    publisher.delayMs = 30;
    const a = event('a', [{ name: 'web', public: true }]);
    const b = event('b', [{ name: 'web', public: false }]);
    await runEvents(events(a, b), deps(), { concurrency: 4 });
    expect(publisher.log).toEqual(['enter web', 'exit web', 'enter web', 'exit web']);
    expect(publisher.maxActive).toBe(1);
    // In arrival order: opened by the first, resolved by the second.
    expect(publisher.published.map((f) => f.pendingTransition)).toEqual(['new', 'resolved']);
    expect([a.acked, b.acked]).toEqual([true, true]);
  });

  it('runs events of different resources concurrently, up to the limit', async () => {
    publisher.delayMs = 30;
    const list = ['a', 'b', 'c', 'd', 'e'].map((n) => event(n, [{ name: n, public: true }]));
    await runEvents(events(...list), deps(), { concurrency: 3 });
    expect(publisher.maxActive).toBe(3);
    expect(list.every((e) => e.acked)).toBe(true);
    expect(publisher.published).toHaveLength(5);
  });
});

describe('retryDelayMs', () => {
  it('doubles the bound per delivery up to the cap, with full jitter', () => {
    const top = { random: () => 0.9999999 };
    expect(retryDelayMs(1, top)).toBe(999);
    expect(retryDelayMs(2, top)).toBe(1999);
    expect(retryDelayMs(30, top)).toBe(5 * 60 * 1000 - 1);
    expect(retryDelayMs(5, { random: () => 0 })).toBe(0);
  });

  it('keeps the findings of a resource recreated after a deletion that arrives late', async () => {
    // The bucket as observed (fixtures: 2026-11-01T00:00:00Z), violating.
    await runOne(event('r1', [{ name: 'web', public: true }]));
    // Its deletion, recorded before that observation, delivered after it: it was recreated since.
    await runOne(event('r2', [{ deleted: 'web', deletedAt: '2026-10-31T23:00:00Z' }]));
    expect((await store.list()).map((f) => f.status)).toEqual(['ACTIVE']);
    // A deletion recorded after it resolves it, at the deletion's time.
    await runOne(event('r3', [{ deleted: 'web', deletedAt: '2026-11-01T01:00:00Z' }]));
    expect((await store.list()).map((f) => [f.status, f.resolution, f.observedAt])).toEqual([
      ['RESOLVED', 'deleted', '2026-11-01T01:00:00Z'],
    ]);
  });

  describe('states delivered out of order', () => {
    it('never opens a finding from a state older than a compliant one already judged', async () => {
      // T2: the bucket is fixed (nothing to record but the time); T1: the older, public state, late.
      await runOne(
        event('o1', [{ name: 'web', public: false, observedAt: '2026-11-02T00:00:00Z' }]),
      );
      await runOne(
        event('o2', [{ name: 'web', public: true, observedAt: '2026-11-01T00:00:00Z' }]),
      );
      expect(await store.list()).toEqual([]);
      expect(publisher.published).toEqual([]);
      // A newer public state does open it.
      await runOne(
        event('o3', [{ name: 'web', public: true, observedAt: '2026-11-03T00:00:00Z' }]),
      );
      expect((await store.list()).map((f) => f.status)).toEqual(['ACTIVE']);
    });

    it('never brings back a deleted resource from a state older than its deletion', async () => {
      await runOne(
        event('d1', [{ name: 'web', public: true, observedAt: '2026-11-01T00:00:00Z' }]),
      );
      await runOne(event('d2', [{ deleted: 'web', deletedAt: '2026-11-02T00:00:00Z' }]));
      await runOne(
        event('d3', [{ name: 'web', public: true, observedAt: '2026-11-01T12:00:00Z' }]),
      );
      expect((await store.list()).map((f) => [f.status, f.resolution])).toEqual([
        ['RESOLVED', 'deleted'],
      ]);
    });
  });

  describe('findings the hub refuses', () => {
    it('for good: the rest is marked sent, the event is acked, the refusal logged and counted', async () => {
      publisher.refuse.set('bad', true);
      const e = event('p1', [
        { name: 'good', public: true },
        { name: 'bad', public: true },
      ]);
      await runOne(e);
      expect(e.acked).toBe(true);
      expect((await store.unpublished()).map((f) => f.resourceName)).toEqual(['bad']);
      expect(metrics.value('drift_errors_total', { kind: 'publish_rejected' })).toBe(1);
    });

    it('for now: what was taken stays taken, and the event is retried', async () => {
      publisher.refuse.set('slow', false);
      const e = event('p2', [
        { name: 'fine', public: true },
        { name: 'slow', public: true },
      ]);
      await runOne(e);
      expect(e.acked).toBe(false);
      expect(e.nacked?.reason).toMatch(/hub refused some/);
      expect((await store.unpublished()).map((f) => f.resourceName)).toEqual(['slow']);
    });
  });

  describe('context added to an event', () => {
    it('is judged with the event, also after a fetch', async () => {
      const seen: string[] = [];
      const enrich = async (document: unknown, source: string) => {
        seen.push(source);
        const { items } = document as { items: Record<string, unknown>[] };
        // The context says the bucket is public even though the event alone does not.
        return { items: items.map((item) => ({ ...item, public: true })) };
      };
      const plain = event('c1', [{ name: 'quiet', public: false }]);
      await runEvents(events(plain), { ...deps(), enrich }, {});
      expect(publisher.published.map((f) => f.resourceId)).toEqual([arn('quiet')]);

      const fetch = async () => ({ items: [{ name: 'big', public: false }] });
      const oversized = event('c2', [{ oversized: 'big' }]);
      await runEvents(events(oversized), { ...deps(), enrich, fetch }, {});
      expect(publisher.published.map((f) => f.resourceId)).toEqual([arn('quiet'), arn('big')]);
      expect(seen).toEqual(['test:c1', 'test:c2', 'test:c2']);
    });

    it('failing is retried, never judged without the context', async () => {
      const enrich = async () => {
        throw new Error('ThrottlingException');
      };
      const e = event('c3', [{ name: 'web', public: true }]);
      await runEvents(events(e), { ...deps(), enrich }, {});
      expect(e.acked).toBe(false);
      expect(e.nacked?.reason).toMatch(
        /adding context to test:c3 failed: Error: ThrottlingException/,
      );
      expect(await store.list()).toEqual([]);
      expect(publisher.published).toEqual([]);
    });
  });

  describe('a configuration the event does not carry', () => {
    it('is fetched and judged in place of the event', async () => {
      const asked: string[] = [];
      const fetch = async (missing: { resource: { id?: string | undefined } }) => {
        asked.push(missing.resource.id ?? '?');
        return { items: [{ name: missing.resource.id, public: true }] };
      };
      const oversized = event('o1', [{ oversized: 'big' }]);
      await runEvents(events(oversized), { ...deps(), fetch }, {});
      expect(asked).toEqual(['big']);
      expect(publisher.published.map((f) => [f.ruleId, f.resourceId])).toEqual([
        ['DD-STORAGE-001', arn('big')],
      ]);
      expect(oversized.acked).toBe(true);
    });

    it('is retried when the fetch fails, and dead-lettered when nothing can fetch it', async () => {
      const failing = event('o2', [{ oversized: 'big' }]);
      const fetch = async () => {
        throw new Error('ThrottlingException');
      };
      await runEvents(events(failing), { ...deps(), fetch }, {});
      expect(failing.acked).toBe(false);
      expect(failing.nacked?.reason).toMatch(/fetching big failed: Error: ThrottlingException/);
      expect(metrics.value('drift_errors_total', { kind: 'fetch' })).toBe(1);

      const unfetchable = event('o3', [{ oversized: 'big' }]);
      await runOne(unfetchable);
      expect(deadLetter.items.map((d) => d.id)).toEqual(['o3']);
      expect(deadLetter.items[0]?.reason).toMatch(/ConfigurationNotIncluded: .*oversized item/);
      expect(await store.list()).toEqual([]);
    });
  });
});
