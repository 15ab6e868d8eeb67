import type { CoveredScope, SqliteStateStore } from '@drift-detective/findings';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { NormalizeError } from '@drift-detective/resource-model';
import { builtPolicyEngine } from '@drift-detective/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMemoryMetrics,
  readSweepRequest,
  runEvents,
  runSweep,
  sweepRequestText,
  type MemoryMetrics,
  type SweepPage,
  type SweepRequest,
  type SweepRequests,
} from '../src/index.js';
import {
  ACCOUNT,
  events,
  type Item,
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
beforeEach(async () => {
  ({ store } = await tempStore());
  publisher = new RecordingPublisher();
  deadLetter = new RecordingDeadLetter();
  metrics = createMemoryMetrics();
});
afterEach(async () => {
  await store.close();
});

const scope: CoveredScope = {
  provider: 'aws',
  accounts: new Set([ACCOUNT]),
  regions: null,
  kinds: new Set(['storage.bucket']),
};

/**
 * A sweep runner over in-memory shards: each a list of pages; `stopAfter`
 * aborts the worker's stop signal once that many pages of a shard were read.
 */
function shardRunner(
  shards: Record<string, Item[][]>,
  options: { stop?: AbortController; stopAfter?: number; failing?: boolean } = {},
): SweepRequests & { starts: [string, string | null][] } {
  const starts: [string, string | null][] = [];
  return {
    starts,
    cloud: 'aws',
    signal: options.stop?.signal,
    requestOf: (body, source) => readSweepRequest(body, source),
    run: async (request: SweepRequest) => {
      const pages = shards[request.shard];
      if (pages === undefined) {
        throw new NormalizeError('test', `shard ${request.shard} is not one this adapter sweeps`);
      }
      if (options.failing) throw new Error('access denied');
      return runSweep(
        (after) => {
          starts.push([request.shard, after]);
          return (async function* (): AsyncIterable<SweepPage> {
            const first = after === null ? 0 : Number(after.slice(1));
            for (let i = first; i < pages.length; i += 1) {
              if (options.stopAfter !== undefined && i >= options.stopAfter) options.stop?.abort();
              yield { cursor: `p${i + 1}`, documents: [{ items: pages[i] }] };
            }
          })();
        },
        { inventory: testInventory, engine, store, publisher },
        { sweepId: `test/${request.shard}`, scope, signal: options.stop?.signal },
      );
    },
  };
}

const request = (shard: string, id = `r-${shard}`) =>
  new TestEvent(
    id,
    JSON.parse(sweepRequestText({ cloud: 'aws', shard, requestedAt: '2026-12-07T00:00:00.000Z' })),
  );

const run = (sweeps: SweepRequests, ...list: TestEvent[]) =>
  runEvents(
    events(...list),
    { inventory: testInventory, engine, store, publisher, deadLetter, metrics, sweeps },
    { backoffBaseMs: 100 },
  );

const openNames = async () =>
  (await store.list())
    .filter((f) => f.status !== 'RESOLVED')
    .map((f) => f.resourceName)
    .sort();

describe('sweep requests on the event queue', () => {
  it('reads a request, tells change events apart, and names what is wrong with a broken one', () => {
    const text = sweepRequestText({ cloud: 'gcp', shard: 'projects/p1' });
    expect(readSweepRequest(JSON.parse(text), 'q/1')).toEqual({
      cloud: 'gcp',
      shard: 'projects/p1',
    });
    expect(readSweepRequest({ items: [] }, 'q/2')).toBeUndefined();
    expect(readSweepRequest('drift-detective/sweep-shard', 'q/3')).toBeUndefined();
    const broken = { kind: 'drift-detective/sweep-shard', v: 1, cloud: 'aws' };
    expect(() => readSweepRequest(broken, 'q/4')).toThrow('q/4: sweep request names no shard');
    expect(() => readSweepRequest({ ...broken, shard: 'x', v: 2 }, 'q/5')).toThrow(
      'q/5: sweep request has version 2; this adapter reads version 1',
    );
    expect(() =>
      readSweepRequest({ ...broken, shard: 'x', requestedAt: 'yesterday' }, 'q/6'),
    ).toThrow('requestedAt "yesterday", which is no time');
  });

  it('sweeps the shard a request names, resolving only in that sweep, then acks it', async () => {
    await run(
      shardRunner({ a: [[{ name: 'one', public: true }], [{ name: 'two', public: true }]] }),
      request('a'),
    );
    expect(await openNames()).toEqual(['one', 'two']);
    const later = request('a', 'r-a-2');
    const sweeps = shardRunner({ a: [[{ name: 'one', public: true }]] });
    const summary = await run(sweeps, later);
    expect(later.acked).toBe(true);
    expect(summary).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    expect(await openNames()).toEqual(['one']);
    expect(sweeps.starts).toEqual([['a', null]]);
  });

  it('dead-letters a request for a shard outside the settings, and retries a failed shard', async () => {
    const stranger = request('elsewhere');
    await run(shardRunner({ a: [] }), stranger);
    expect(stranger.acked).toBe(true);
    expect(deadLetter.items).toEqual([
      {
        id: 'r-elsewhere',
        reason: 'NormalizeError: test: shard elsewhere is not one this adapter sweeps',
      },
    ]);
    const failing = request('a');
    await run(shardRunner({ a: [] }, { failing: true }), failing);
    expect(failing.acked).toBe(false);
    expect(failing.nacked?.reason).toBe('Error: access denied');
    expect(metrics.value('drift_events_total', { outcome: 'retried' })).toBe(1);
  });

  it('hands a shard cut by the stop back at once; the next taker resumes after its saved page', async () => {
    const pages = [
      [{ name: 'one', public: true }],
      [{ name: 'two', public: true }],
      [{ name: 'three', public: true }],
    ];
    const stop = new AbortController();
    const first = request('a');
    await run(shardRunner({ a: pages }, { stop, stopAfter: 1 }), first);
    expect(first.acked).toBe(false);
    expect(first.nacked).toEqual({
      reason: 'stopped: resumes after its last saved page',
      retryAfterMs: 0,
    });
    expect((await store.sweepProgress('test/a'))?.cursor).toBe('p2');

    const again = shardRunner({ a: pages });
    const second = request('a');
    await run(again, second);
    expect(again.starts).toEqual([['a', 'p2']]);
    expect(second.acked).toBe(true);
    expect(await store.sweepProgress('test/a')).toBeUndefined();
    expect(await openNames()).toEqual(['one', 'three', 'two']);
  });

  it('acks without sweeping a request whose shard another run holds', async () => {
    const sweeps = shardRunner({ a: [[{ name: 'one', public: true }]] });
    const duplicate = request('a');
    await store.withSweepLease('test/a', () => run(sweeps, duplicate));
    expect(duplicate.acked).toBe(true);
    expect(sweeps.starts).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('leaves a request to the inventory when no sweep runner is wired: it cannot be read', async () => {
    const unwired = request('a');
    await runEvents(events(unwired), {
      inventory: testInventory,
      engine,
      store,
      publisher,
      deadLetter,
      metrics,
    });
    expect(deadLetter.items.map((d) => d.id)).toEqual(['r-a']);
  });
});
