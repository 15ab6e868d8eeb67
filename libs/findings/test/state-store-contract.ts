import { describe, expect, it } from 'vitest';
import type { StateStore } from '../src/store/state-store.js';
import { findingRecord as record } from './records.js';

/** How the contract suite opens a store of one driver. */
export interface ContractDriver {
  /** A store on a fresh, empty state. */
  fresh(): Promise<StateStore>;
  /** A second store on the same state as `store`, after `store` closed. */
  reopen(store: StateStore): Promise<StateStore>;
  /**
   * A second store on the same state while the first stays open, as another
   * process would open it; undefined where one writer at a time is the rule.
   */
  beside?: ((store: StateStore) => Promise<StateStore>) | undefined;
}

const ref = { provider: 'aws', account: '123456789012', resourceId: 'arn:aws:s3:::a' };
const checkpoint = { sweepId: 's', cursor: 'c', seen: [], skipped: 0, at: 'T' };

/** Resolves after `ms`, to let a competing holder run if it could. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise and its resolver, to hold a lock open for as long as a test needs. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The StateStore contract, the same tests for every driver: what the pipeline,
 * the scan and the adapters rely on, whichever store holds the state.
 */
export function stateStoreContract(name: string, driver: ContractDriver): void {
  describe(`${name}: the StateStore contract`, () => {
    it('keeps findings across opens, by status, provider, resource and account', async () => {
      const store = await driver.fresh();
      await store.save([
        record('a'),
        record('b', { status: 'RESOLVED', pendingTransition: 'resolved' }),
      ]);
      const reopened = await driver.reopen(store);
      try {
        expect((await reopened.list()).map((r) => r.id)).toEqual(['a', 'b']);
        expect((await reopened.list('RESOLVED')).map((r) => r.id)).toEqual(['b']);
        expect((await reopened.openFindings('aws')).map((r) => r.id)).toEqual(['a']);
        expect(await reopened.openFindings('azure')).toEqual([]);
        expect(
          await reopened.findingsOf({ provider: 'aws', resourceId: 'arn:aws:s3:::a' }),
        ).toEqual([record('a')]);
        expect(
          await reopened.findingsOf({
            provider: 'aws',
            account: 'other',
            resourceId: 'arn:aws:s3:::a',
          }),
        ).toEqual([]);
        // Ids are matched exactly, unless the provider's ids ignore case.
        expect(
          await reopened.findingsOf({ provider: 'aws', resourceId: 'ARN:AWS:S3:::A' }),
        ).toEqual([]);
        expect(
          (
            await reopened.findingsOf({
              provider: 'aws',
              resourceId: 'ARN:AWS:S3:::A',
              idCaseInsensitive: true,
            })
          ).map((r) => r.resourceId),
        ).toEqual(['arn:aws:s3:::a']);
      } finally {
        await reopened.close();
      }
    });

    it('keeps a record exactly as written, its JSON key order included', async () => {
      const store = await driver.fresh();
      const written = record('a', {
        details: { z: 1, a: [2, { y: 'é', b: null }] },
        tags: { Zone: 'b', Area: 'a' },
        change: { changedBy: 'arn:aws:iam::123456789012:user/x', fields: [] },
      });
      await store.save([written]);
      const [read] = await store.list();
      expect(JSON.stringify(read)).toBe(JSON.stringify(written));
      await store.close();
    });

    it('reads open and unpublished findings page after page, none skipped or repeated', async () => {
      const store = await driver.fresh();
      const ids = Array.from({ length: 23 }, (_, i) => `f${String(i).padStart(2, '0')}`);
      await store.save([
        ...ids.map((id, i) =>
          record(id, i % 4 === 0 ? { status: 'RESOLVED', pendingTransition: null } : {}),
        ),
        record('g-azure', { provider: 'azure' }),
      ]);
      const paged = async (read: (after: string | undefined) => Promise<{ id: string }[]>) => {
        const pages: string[][] = [];
        let after: string | undefined;
        for (;;) {
          const page = (await read(after)).map((r) => r.id);
          if (page.length === 0) return pages;
          pages.push(page);
          after = page.at(-1);
        }
      };
      const open = await paged((after) => store.openFindings('aws', { after, limit: 5 }));
      expect(open.map((page) => page.length)).toEqual([5, 5, 5, 2]);
      expect(open.flat()).toEqual((await store.openFindings('aws')).map((r) => r.id));
      expect(open.flat()).toEqual(ids.filter((_, i) => i % 4 !== 0));
      const pending = await paged((after) => store.unpublished({ after, limit: 7 }));
      expect(pending.flat()).toEqual((await store.unpublished()).map((r) => r.id));
      expect(pending.map((page) => page.length)).toEqual([7, 7, 4]);
      await store.close();
    });

    it('publishes: clears the pending transition, unless the finding changed since it was sent', async () => {
      const store = await driver.fresh();
      await store.save([record('a'), record('b'), record('c')]);
      expect((await store.unpublished()).map((r) => r.id)).toEqual(['a', 'b', 'c']);
      // c changed after it was sent (hash h1): its newer transition stays pending.
      await store.save([record('c', { contentHash: 'h2', pendingTransition: 'updated' })]);
      await store.markPublished(
        [
          { id: 'a', contentHash: 'h1' },
          { id: 'c', contentHash: 'h1' },
          { id: 'missing', contentHash: 'h1' },
        ],
        'T2',
      );
      expect((await store.unpublished()).map((r) => [r.id, r.pendingTransition])).toEqual([
        ['b', 'new'],
        ['c', 'updated'],
      ]);
      expect((await store.list())[0]).toMatchObject({
        id: 'a',
        pendingTransition: null,
        publishedAt: 'T2',
        publishedHash: 'h1',
      });
      await store.close();
    });

    it('writes a batch all or nothing', async () => {
      const store = await driver.fresh();
      await store.save([record('a')]);
      const broken = record('b', { status: 'BROKEN' as never });
      await expect(
        store.save([record('a', { message: 'changed' }), broken], [{ ...ref, observedAt: 'T9' }]),
      ).rejects.toThrow(/check constraint/i);
      expect((await store.list()).map((r) => [r.id, r.message])).toEqual([['a', 'm']]);
      expect(await store.lastObserved(ref)).toBeUndefined();
      // The store is still usable after a failed write.
      await store.save([record('b')]);
      expect((await store.list()).map((r) => r.id)).toEqual(['a', 'b']);
      await store.close();
    });

    it('keeps the newest observation of each resource, with the findings or a page', async () => {
      const store = await driver.fresh();
      expect(await store.lastObserved(ref)).toBeUndefined();
      await store.save([record('a')], [{ ...ref, observedAt: '2026-11-02T00:00:00Z' }]);
      await store.save([], [{ ...ref, observedAt: '2026-11-01T00:00:00Z' }]); // older: kept out
      expect(await store.lastObserved(ref)).toBe('2026-11-02T00:00:00Z');
      await store.savePage([], checkpoint, [{ ...ref, observedAt: '2026-11-03T00:00:00Z' }]);
      expect(await store.lastObserved(ref)).toBe('2026-11-03T00:00:00Z');
      expect(await store.lastObserved({ ...ref, account: '999999999999' })).toBeUndefined();
      await store.close();
    });

    it('saves sweep pages with their checkpoint, sums skips and knows which resources were unseen', async () => {
      const store = await driver.fresh();
      expect(await store.sweepProgress('s1')).toBeUndefined();
      await store.save([record('gone'), record('closed', { status: 'RESOLVED' })]);
      await store.savePage([record('a')], {
        sweepId: 's1',
        cursor: 'p1',
        seen: ['arn:aws:s3:::a'],
        skipped: 1,
        at: 'T1',
      });
      await store.savePage([], {
        sweepId: 's1',
        cursor: 'p2',
        seen: ['arn:aws:s3:::x', 'arn:aws:s3:::a'],
        skipped: 2,
        at: 'T2',
        startedAt: 'T2',
      });
      const reopened = await driver.reopen(store);
      try {
        // The start is the first page's: a resumed run does not move it.
        expect(await reopened.sweepProgress('s1')).toEqual({
          cursor: 'p2',
          skipped: 3,
          startedAt: 'T1',
        });
        expect((await reopened.list()).map((r) => r.id)).toEqual(['a', 'closed', 'gone']);
        expect((await reopened.unseenOpenFindings('s1', 'aws')).map((r) => r.id)).toEqual(['gone']);
        expect(await reopened.unseenOpenFindings('s1', 'gcp')).toEqual([]);
        // Another sweep has seen nothing yet.
        expect((await reopened.unseenOpenFindings('s2', 'aws')).map((r) => r.id)).toEqual([
          'a',
          'gone',
        ]);
        await reopened.clearSweep('s1');
        expect(await reopened.sweepProgress('s1')).toBeUndefined();
        expect((await reopened.unseenOpenFindings('s1', 'aws')).map((r) => r.id)).toEqual([
          'a',
          'gone',
        ]);
      } finally {
        await reopened.close();
      }
    });

    it('writes a page and its checkpoint all or nothing', async () => {
      const store = await driver.fresh();
      const broken = record('b', { status: 'BROKEN' as never });
      await expect(
        store.savePage([record('a'), broken], { ...checkpoint, cursor: 'p1', seen: ['x'] }),
      ).rejects.toThrow(/check constraint/i);
      expect(await store.list()).toEqual([]);
      expect(await store.sweepProgress('s')).toBeUndefined();
      await store.save([record('x', { resourceId: 'x' })]);
      expect((await store.unseenOpenFindings('s', 'aws')).map((r) => r.id)).toEqual(['x']);
      await store.close();
    });

    it('lets a run claim what is pending, and what has nothing pending, to send', async () => {
      const store = await driver.fresh();
      await store.save([record('a'), record('b', { pendingTransition: null })]);
      expect([...(await store.claim(['a', 'b', 'missing']))].sort()).toEqual(['a', 'b']);
      // Claimed twice by the same run: still its own.
      expect([...(await store.claim(['a']))]).toEqual(['a']);
      await store.close();
    });

    it('lets one run at a time sweep a shard: a second gets nothing, at once, until the first ends', async () => {
      const store = await driver.fresh();
      const held = gate();
      const entered = gate();
      const first = store.withSweepLease('aws/123456789012/us-east-1', async () => {
        entered.open();
        await held.opened;
        return 'swept';
      });
      await entered.opened;
      expect(await store.withSweepLease('aws/123456789012/us-east-1', async () => 'twice')).toBe(
        undefined,
      );
      // Another shard is not held up.
      expect(await store.withSweepLease('aws/123456789012/eu-west-1', async () => 'other')).toBe(
        'other',
      );
      held.open();
      expect(await first).toBe('swept');
      await expect(
        store.withSweepLease('aws/123456789012/us-east-1', async () => {
          throw new Error('reader failed');
        }),
      ).rejects.toThrow('reader failed');
      expect(await store.withSweepLease('aws/123456789012/us-east-1', async () => 'again')).toBe(
        'again',
      );
      await store.close();
    });

    it('saves a large batch in one call', async () => {
      const store = await driver.fresh();
      const many = Array.from({ length: 2500 }, (_, i) => record(`r${String(i).padStart(4, '0')}`));
      await store.save(
        many,
        many.map((r) => ({ ...ref, resourceId: r.resourceId, observedAt: 'T1' })),
      );
      expect((await store.list()).map((r) => r.id)).toEqual(many.map((r) => r.id));
      expect(await store.lastObserved({ ...ref, resourceId: 'arn:aws:s3:::r2499' })).toBe('T1');
      await store.close();
    });

    describe('withResources', () => {
      const a = { provider: 'aws', resourceId: 'arn:aws:s3:::a' };
      const b = { provider: 'aws', resourceId: 'arn:aws:s3:::b' };

      it('lets one holder at a time work on a resource, in the order they asked', async () => {
        const store = await driver.fresh();
        const order: string[] = [];
        const held = gate();
        const entered = gate();
        const first = store.withResources([a], async (state) => {
          order.push('first in');
          entered.open();
          await held.opened;
          await state.save([record('a')]);
          order.push('first out');
        });
        await entered.opened;
        const second = store.withResources([a], async (state) => {
          order.push(`second in, sees ${(await state.findingsOf(ref)).length}`);
        });
        // Another resource is not held up.
        await store.withResources([b], async () => void order.push('other resource'));
        await pause(20);
        held.open();
        await Promise.all([first, second]);
        expect(order).toEqual(['first in', 'other resource', 'first out', 'second in, sees 1']);
        await store.close();
      });

      it('takes one lock for one resource spelled in two cases', async () => {
        const store = await driver.fresh();
        const order: string[] = [];
        const held = gate();
        const entered = gate();
        const first = store.withResources([a], async () => {
          entered.open();
          await held.opened;
          order.push('lower');
        });
        await entered.opened;
        const second = store.withResources(
          [{ provider: 'aws', resourceId: 'ARN:AWS:S3:::A' }],
          async () => void order.push('upper'),
        );
        await pause(30);
        held.open();
        await Promise.all([first, second]);
        expect(order).toEqual(['lower', 'upper']);
        await store.close();
      });

      it('never deadlocks two holders asking for the same resources in opposite orders', async () => {
        const store = await driver.fresh();
        const runs = Array.from({ length: 20 }, (_, i) =>
          store.withResources(i % 2 === 0 ? [a, b] : [b, a], async (state) => {
            await pause(1);
            await state.save([record(`r${i}`)]);
          }),
        );
        await Promise.all(runs);
        expect(await store.list()).toHaveLength(20);
        await store.close();
      });

      it('releases the locks when the work fails, passing its error on', async () => {
        const store = await driver.fresh();
        await expect(
          store.withResources([a], async () => {
            throw new Error('work failed');
          }),
        ).rejects.toThrow('work failed');
        await expect(store.withResources([a], async () => 'again')).resolves.toBe('again');
        await store.close();
      });

      it('serializes the read-modify-write of a counter kept in a finding', async () => {
        const store = await driver.fresh();
        await store.save([record('a', { details: { n: 0 } })]);
        const bump = (state: Parameters<Parameters<StateStore['withResources']>[1]>[0]) =>
          state.findingsOf(ref).then(async ([current]) => {
            await pause(1);
            const n = (current?.details['n'] as number) + 1;
            await state.save([record('a', { details: { n } })]);
          });
        await Promise.all(Array.from({ length: 25 }, () => store.withResources([a], bump)));
        expect((await store.findingsOf(ref))[0]?.details).toEqual({ n: 25 });
        await store.close();
      });

      const beside = driver.beside;
      // Only where two stores write one state at once (one SQLite file has one writer).
      if (beside) {
        it('keeps a shard one process sweeps from another until it is done', async () => {
          const first = await driver.fresh();
          const second = await beside(first);
          try {
            const held = gate();
            const entered = gate();
            const sweeping = first.withSweepLease('gcp/projects/p', () => {
              entered.open();
              return held.opened;
            });
            await entered.opened;
            expect(await second.withSweepLease('gcp/projects/p', async () => 'twice')).toBe(
              undefined,
            );
            held.open();
            await sweeping;
            expect(await second.withSweepLease('gcp/projects/p', async () => 'next')).toBe('next');
          } finally {
            await Promise.all([first.close(), second.close()]);
          }
        });

        it('keeps a transition claimed by a live run from every other run, until it ends or sends it', async () => {
          const first = await driver.fresh();
          const second = await beside(first);
          const third = await beside(first);
          try {
            await first.save([record('a'), record('b'), record('c', { pendingTransition: null })]);
            expect([...(await first.claim(['a', 'b']))].sort()).toEqual(['a', 'b']);
            // Another run may send only what has nothing pending.
            expect([...(await second.claim(['a', 'b', 'c']))]).toEqual(['c']);
            // Published by its claimant: the claim ends with the transition.
            await first.markPublished([{ id: 'a', contentHash: 'h1' }], 'T2');
            expect([...(await second.claim(['a']))]).toEqual(['a']);
            // Its run ended: what it still held is free to take, by one run only.
            await first.close();
            expect([...(await second.claim(['b']))]).toEqual(['b']);
            expect([...(await third.claim(['b']))]).toEqual([]);
          } finally {
            await Promise.all([second.close(), third.close()]);
          }
        });

        it('excludes a holder in another store on the same state, as another process', async () => {
          const store = await driver.fresh();
          const other = await beside(store);
          try {
            await store.save([record('a', { details: { n: 0 } })]);
            const bump = (into: StateStore) =>
              into.withResources([a], async (state) => {
                const [current] = await state.findingsOf(ref);
                await pause(2);
                const n = (current?.details['n'] as number) + 1;
                await state.save([record('a', { details: { n } })]);
              });
            await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 ? store : other)));
            expect((await store.findingsOf(ref))[0]?.details).toEqual({ n: 20 });
          } finally {
            await other.close();
            await store.close();
          }
        });
      }
    });
  });
}
