import {
  reconcileResource,
  type CoveredScope,
  type SqliteStateStore,
} from '@drift-detective/findings';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine } from '@drift-detective/testing';
import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  JsonLinesPublisher,
  runSweep,
  toObservation,
  type SweepPage,
  type SweepReaderFactory,
} from '../src/index.js';
import {
  ACCOUNT,
  arn,
  bucket,
  type Item,
  RecordingPublisher,
  tempStore,
  testInventory,
} from './fixtures.js';

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await builtPolicyEngine();
});

let store: SqliteStateStore;
let publisher: RecordingPublisher;
beforeEach(async () => {
  ({ store } = await tempStore());
  publisher = new RecordingPublisher();
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
const deps = () => ({ inventory: testInventory, engine, store, publisher });

/** Pages of one document each; `failAfter` throws once that many pages were read. */
function reader(
  pages: Item[][],
  failAfter?: number,
): SweepReaderFactory & { starts: (string | null)[] } {
  const starts: (string | null)[] = [];
  const factory = (after: string | null) => {
    starts.push(after);
    return (async function* (): AsyncIterable<SweepPage> {
      const first = after === null ? 0 : Number(after.slice(1));
      for (let i = first; i < pages.length; i += 1) {
        if (failAfter !== undefined && i >= failAfter) throw new Error('connection reset');
        yield { cursor: `p${i + 1}`, documents: [{ items: pages[i] }] };
      }
    })();
  };
  return Object.assign(factory, { starts });
}

const open = async () =>
  (await store.list())
    .filter((f) => f.status !== 'RESOLVED')
    .map((f) => f.resourceName)
    .sort();

describe('sweep mode', () => {
  it('publishes every page, then resolves as deleted what a later sweep no longer sees', async () => {
    const progress: unknown[] = [];
    const first = await runSweep(
      reader([
        [
          { name: 'a', public: true },
          { name: 'b', public: true },
        ],
        [{ name: 'c', public: true }],
      ]),
      deps(),
      { sweepId: 's1', scope, onProgress: (p) => progress.push(p) },
    );
    expect(first).toMatchObject({ pages: 2, resources: 3, completed: true, resolvedDeleted: 0 });
    expect(progress).toEqual([
      { pages: 1, resources: 2 },
      { pages: 2, resources: 3 },
    ]);
    expect(publisher.published.map((f) => [f.resourceName, f.pendingTransition])).toEqual([
      ['a', 'new'],
      ['b', 'new'],
      ['c', 'new'],
    ]);
    expect(await store.unpublished()).toEqual([]);
    expect(await store.sweepProgress('s1')).toBeUndefined();

    const second = await runSweep(
      reader([[{ name: 'a', public: true }], [{ name: 'c', public: true }]]),
      deps(),
      { sweepId: 's2', scope },
    );
    expect(second).toMatchObject({ completed: true, resolvedDeleted: 1 });
    expect(publisher.batches.at(-1)?.map((f) => [f.resourceId, f.status, f.resolution])).toEqual([
      [arn('b'), 'RESOLVED', 'deleted'],
    ]);
    expect(await open()).toEqual(['a', 'c']);
  });

  it('resolves nothing outside its scope', async () => {
    await runSweep(reader([[{ name: 'a', public: true }]]), deps(), { sweepId: 's1', scope });
    const other = { ...scope, accounts: new Set(['999999999999']) };
    const summary = await runSweep(reader([[]]), deps(), { sweepId: 's2', scope: other });
    expect(summary.resolvedDeleted).toBe(0);
    expect(await open()).toEqual(['a']);
  });

  it('resolves nothing when the reader throws, or when a record could not be judged', async () => {
    await runSweep(reader([[{ name: 'a', public: true }], [{ name: 'b', public: true }]]), deps(), {
      sweepId: 's1',
      scope,
    });
    await expect(
      runSweep(reader([[{ name: 'a', public: true }], []], 1), deps(), { sweepId: 's2', scope }),
    ).rejects.toThrow(/connection reset/);
    expect(await open()).toEqual(['a', 'b']);

    const skipped = await runSweep(
      reader([[{ name: 'a', public: true }, { broken: true }]]),
      deps(),
      {
        sweepId: 's3',
        scope,
      },
    );
    expect(skipped).toMatchObject({ completed: false, skipped: 1, resolvedDeleted: 0 });
    expect(await open()).toEqual(['a', 'b']);
    expect(await store.sweepProgress('s3')).toBeUndefined();
  });

  it('resumes after the last saved page and resolves correctly at the end, publishing each line once', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const jsonDeps = { ...deps(), publisher: new JsonLinesPublisher(out) };
    // An earlier sweep knew a bucket that is gone now.
    await runSweep(reader([[{ name: 'old', public: true }]]), jsonDeps, { sweepId: 's0', scope });

    const pages = [
      [{ name: 'a', public: true }],
      [{ name: 'b', public: true }],
      [{ name: 'c', public: false }],
    ];
    const interrupted = reader(pages, 1);
    await expect(runSweep(interrupted, jsonDeps, { sweepId: 's1', scope })).rejects.toThrow();
    const started = (await store.sweepProgress('s1'))?.startedAt;
    expect(await store.sweepProgress('s1')).toEqual({
      cursor: 'p1',
      skipped: 0,
      startedAt: started,
    });
    expect(await open()).toEqual(['a', 'old']);

    const restarted = reader(pages);
    const summary = await runSweep(restarted, jsonDeps, { sweepId: 's1', scope });
    expect(restarted.starts).toEqual(['p1']);
    expect(summary).toMatchObject({
      resumedAfter: 'p1',
      pages: 2,
      completed: true,
      resolvedDeleted: 1,
    });
    // 'a' was seen before the interruption: it stays open.
    expect(await open()).toEqual(['a', 'b']);
    expect((await store.list()).find((f) => f.resourceName === 'old')?.resolvedAt).toBeDefined();
    expect(started).toBeDefined();
    const sent = lines.map((l) => JSON.parse(l) as { resourceId: string; transition: string });
    expect(sent.map((l) => [l.resourceId, l.transition])).toEqual([
      [arn('old'), 'new'],
      [arn('a'), 'new'],
      [arn('b'), 'new'],
      [arn('old'), 'resolved'],
    ]);
  });

  it('does not resolve a resource an event reported while the sweep ran (created after its listing)', async () => {
    const clock = { now: new Date('2026-11-27T10:00:00Z') };
    const timed = { ...deps(), clock: () => clock.now };
    // The sweep starts at 10:00 and saves its first page; it has listed bucket 'a' only.
    const pages = [[{ name: 'a', public: true }], [{ name: 'c', public: false }]];
    await expect(runSweep(reader(pages, 1), timed, { sweepId: 'sw', scope })).rejects.toThrow();
    // 10:05: an event reports bucket 'new', created after the listing: a finding opens.
    clock.now = new Date('2026-11-27T10:05:00Z');
    const created = bucket('new', true);
    const [violation] = engine.evaluate(created);
    await store.save(
      reconcileResource({
        resource: { provider: 'aws', account: created.account, resourceId: created.id },
        observations: [
          toObservation({ ...created, observedAt: '2026-11-27T10:04:00Z' }, violation!),
        ],
        stored: [],
        judgedRules: new Set(engine.rules.keys()),
        bundleRules: new Set(engine.rules.keys()),
        now: clock.now.toISOString(),
        waiverFor: () => undefined,
      }).map((e) => e.finding),
    );
    // 10:10: the sweep resumes and completes without having seen 'new'.
    clock.now = new Date('2026-11-27T10:10:00Z');
    const summary = await runSweep(reader(pages), timed, { sweepId: 'sw', scope });
    expect(summary).toMatchObject({ completed: true, resolvedDeleted: 0 });
    expect(await open()).toEqual(['a', 'new']);
  });

  it('completes past a finding the hub refuses for good, run after run', async () => {
    publisher.refuse.set('bad', true);
    const pages = [[{ name: 'bad', public: true }], [{ name: 'good', public: true }]];
    const first = await runSweep(reader(pages), deps(), { sweepId: 'r1', scope });
    expect(first).toMatchObject({ completed: true, pages: 2 });
    const second = await runSweep(reader(pages), deps(), { sweepId: 'r2', scope });
    expect(second).toMatchObject({ completed: true, pages: 2 });
    expect(publisher.published.map((f) => f.resourceName)).toEqual(['good']);
    expect((await store.unpublished()).map((f) => f.resourceName)).toEqual(['bad']);
  });

  it('does not judge an item older than the state an event recorded, yet counts it as seen', async () => {
    // An event at 10:00 recorded the bucket fixed; Config's item, captured at 09:00, still has it public.
    await store.save(
      [],
      [
        {
          provider: 'aws',
          account: ACCOUNT,
          resourceId: arn('lagging'),
          observedAt: '2026-11-27T10:00:00Z',
        },
      ],
    );
    const summary = await runSweep(
      reader([[{ name: 'lagging', public: true, observedAt: '2026-11-27T09:00:00Z' }]]),
      deps(),
      { sweepId: 'lag', scope },
    );
    expect(summary).toMatchObject({ completed: true, resources: 1 });
    expect(await store.list()).toEqual([]);
  });

  it('re-publishes at start what a crash left pending after its page was saved', async () => {
    publisher.failing = true;
    await expect(
      runSweep(reader([[{ name: 'a', public: true }]]), deps(), { sweepId: 's1', scope }),
    ).rejects.toThrow(/hub unavailable/);
    expect((await store.unpublished()).map((f) => f.resourceName)).toEqual(['a']);
    publisher.failing = false;
    const summary = await runSweep(reader([[{ name: 'a', public: true }]]), deps(), {
      sweepId: 's1',
      scope,
    });
    expect(summary.resumedAfter).toBe('p1');
    expect(publisher.published.map((f) => [f.resourceName, f.pendingTransition])).toEqual([
      ['a', 'new'],
    ]);
    expect(await store.unpublished()).toEqual([]);
    expect(await open()).toEqual(['a']);
  });
});
