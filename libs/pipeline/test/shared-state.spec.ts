// Two workers, one PostgreSQL state: each with its own store (its own
// connections, as two processes have), one hub between them. The events of one
// resource must be judged and published one after the other, whichever worker
// takes them, or a slower publish of an older state lands after a newer one;
// and one sweep of a scope runs at a time.
import { PostgresStateStore, type FindingRecord, type StateStore } from '@drift-detective/findings';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine, startPostgres, type PostgresServer } from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvents, runSweep, type Publisher } from '../src/index.js';
import { events, RecordingDeadLetter, TestEvent, testInventory } from './fixtures.js';

let engine: PolicyEngine;
let postgres: PostgresServer;
const stores: StateStore[] = [];

beforeAll(async () => {
  [engine, postgres] = await Promise.all([builtPolicyEngine(), startPostgres()]);
}, 60_000);
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await postgres?.stop();
});

/** A hub that keeps the last state sent of each finding, as Security Hub's upsert by id does. */
class Hub {
  readonly last = new Map<string, FindingRecord>();
  readonly log: string[] = [];
  /** A publisher of this hub that answers after `delayMs`. */
  publisher(delayMs: number): Publisher {
    return {
      publish: async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        for (const f of batch) {
          this.last.set(f.id, f);
          this.log.push(`${f.resourceName} ${f.status}`);
        }
      },
    };
  }
}

async function worker(url: string, hub: Hub, delayMs: number, list: TestEvent[]) {
  const store = await PostgresStateStore.open(url, { command: 'drift-detective test worker' });
  stores.push(store);
  return runEvents(
    events(...list),
    {
      inventory: testInventory,
      engine,
      store,
      publisher: hub.publisher(delayMs),
      deadLetter: new RecordingDeadLetter(),
    },
    { concurrency: 4 },
  );
}

const change = (id: string, isPublic: boolean, observedAt: string) =>
  new TestEvent(id, { items: [{ name: 'web', public: isPublic, observedAt }] });

describe('two workers sharing one PostgreSQL state', () => {
  it('publish a resource’s states in the order they were judged, even when the older one is slower to send', async () => {
    const url = await postgres.createDatabase();
    const hub = new Hub();
    // Worker 1 opens the finding and takes 300 ms to tell the hub; worker 2 handles the fix
    // 50 ms later and would tell it at once.
    const opened = worker(url, hub, 300, [change('open', true, '2026-11-01T00:00:00Z')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fixed = worker(url, hub, 0, [change('fix', false, '2026-11-01T00:01:00Z')]);
    const summaries = await Promise.all([opened, fixed]);
    expect(summaries.map((s) => s.acked)).toEqual([1, 1]);
    expect(hub.log).toEqual(['web ACTIVE', 'web RESOLVED']);
    const [finding] = [...hub.last.values()];
    expect(finding).toMatchObject({ status: 'RESOLVED', resolution: 'compliant' });
    const state = (await stores[0]?.list()) ?? [];
    expect(state.map((f) => [f.status, f.pendingTransition])).toEqual([['RESOLVED', null]]);
  });

  it('never report one transition twice when both workers get the same event', async () => {
    const url = await postgres.createDatabase();
    const hub = new Hub();
    const same = () => change('open', true, '2026-11-01T00:00:00Z');
    await Promise.all([worker(url, hub, 100, [same()]), worker(url, hub, 100, [same()])]);
    expect(hub.log).toEqual(['web ACTIVE']);
  });
});

describe('two sweeps of one scope at once on one PostgreSQL state', () => {
  it('one sweeps it, the other skips it at once, saying so', async () => {
    const url = await postgres.createDatabase();
    const open = async () => {
      const store = await PostgresStateStore.open(url, { command: 'drift-detective test sweep' });
      stores.push(store);
      return store;
    };
    const hub = new Hub();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first sweep's reader runs only once its run holds the lease.
    let entered!: () => void;
    const leased = new Promise<void>((resolve) => (entered = resolve));
    const scope = { provider: 'aws', accounts: null, regions: null, kinds: null };
    const deps = async () => ({
      inventory: testInventory,
      engine,
      store: await open(),
      publisher: hub.publisher(0),
    });
    const first = runSweep(
      async function* () {
        entered();
        yield { cursor: '1', documents: [{ items: [{ name: 'web', public: true }] }] };
        await held;
      },
      await deps(),
      { sweepId: 'aws/123456789012/us-east-1', scope },
    );
    await leased;
    const second = await runSweep(
      async function* () {
        yield { cursor: '1', documents: [{ items: [{ name: 'web', public: false }] }] };
      },
      await deps(),
      { sweepId: 'aws/123456789012/us-east-1', scope },
    );
    expect(second).toMatchObject({ sweptElsewhere: true, completed: false, pages: 0 });
    release();
    expect(await first).toMatchObject({ completed: true, pages: 1 });
    expect(hub.log).toEqual(['web ACTIVE']);
  });
});
