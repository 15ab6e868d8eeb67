// The PostgreSQL store against a real server (Debian's PostgreSQL, started by
// the test): the StateStore contract every store meets, then what only a
// shared database has — migrations under a lock, connection errors, lock
// timeouts, locks freed by a dead process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, withPostgresClient, type PostgresServer } from '@drift-detective/testing';
import { POSTGRES_MIGRATIONS, SCHEMA_LOCK_ID } from '../src/store/postgres-migrations.js';
import {
  advisoryLockId,
  advisoryLockSql,
  PostgresStateStore,
  type PostgresStateStoreOptions,
} from '../src/store/postgres-store.js';
import { StateStoreError } from '../src/store/sqlite-store.js';
import { isPostgresUrl, redactUrl } from '../src/store/state-location.js';
import type { LockedResource, StateStore } from '../src/store/state-store.js';
import { findingRecord as record } from './records.js';
import { stateStoreContract } from './state-store-contract.js';

let server: PostgresServer;
const opened: StateStore[] = [];

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
  await server?.stop();
});

async function open(url: string, options: PostgresStateStoreOptions = {}) {
  const store = await PostgresStateStore.open(url, { command: 'scratch-test', ...options });
  opened.push(store);
  return store;
}

/** A store on a fresh database, and that database's URL. */
async function fresh(options: PostgresStateStoreOptions = {}) {
  const url = await server.createDatabase();
  return { url, store: await open(url, options) };
}

/** What open() throws, as the error it is. */
async function openError(url: string, options: PostgresStateStoreOptions = {}) {
  const error = await PostgresStateStore.open(url, options).then(
    (store) => {
      opened.push(store);
      throw new Error('opened');
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(StateStoreError);
  return error as StateStoreError;
}

/** A promise and the function that settles it: a gate a test opens when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The URL each store was opened with (its location has no password; here none is needed anyway). */
const urls = new WeakMap<StateStore, string>();

stateStoreContract('PostgresStateStore', {
  async fresh() {
    const { url, store } = await fresh();
    urls.set(store, url);
    return store;
  },
  async reopen(store) {
    await store.close();
    const url = urls.get(store)!;
    const reopened = await open(url);
    urls.set(reopened, url);
    return reopened;
  },
  async beside(store) {
    const url = urls.get(store)!;
    const beside = await open(url);
    urls.set(beside, url);
    return beside;
  },
});

describe('state-location', () => {
  it('knows PostgreSQL URLs and removes their passwords', () => {
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('./state.db')).toBe(false);
    expect(redactUrl('postgresql://drift:s3cret@db.example.com:5432/state?sslmode=require')).toBe(
      'postgresql://drift@db.example.com:5432/state?sslmode=require',
    );
    expect(redactUrl('postgres://u@h/db?password=s3cret&sslmode=require')).toBe(
      'postgres://u@h/db?sslmode=require',
    );
    expect(redactUrl('postgresql://u:p@h:notaport/db')).toBe('postgresql://<unparsable URL>');
  });
});

describe('PostgresStateStore', () => {
  it('orders by id byte for byte, whatever the database collation', async () => {
    const url = await server.createDatabase();
    const icu = url.replace(/\/[^/]+$/, '/icu_ordered');
    await withPostgresClient(url, (client) =>
      client.query(
        "CREATE DATABASE icu_ordered TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'",
      ),
    );
    const store = await open(icu);
    const ids = ['b', 'B', 'a-2', 'a_1', 'A', 'a10', 'a9'];
    // Two duplicates in one batch: the last wins, as the SQLite store does it.
    await store.save([...ids.map((id) => record(id)), record('b', { message: 'last' })]);
    expect((await store.list()).map((r) => r.id)).toEqual([...ids].sort());
    // Which the database's own collation would not give.
    const collated = await withPostgresClient(icu, (client) =>
      client.query<{ id: string }>('SELECT id FROM unnest($1::text[]) AS id ORDER BY id', [ids]),
    );
    expect(collated.rows.map((row) => row.id)).not.toEqual([...ids].sort());
    expect((await store.findingsOf(record('b')))[0]!.message).toBe('last');
  });

  it('finds a resource in another case only when asked to, with or without account', async () => {
    const { store } = await fresh();
    const id = '/subscriptions/S/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/Sa';
    const azure = record('az', { provider: 'azure', account: 'S', resourceId: id });
    const other = record('az2', { provider: 'azure', account: 'T', resourceId: id.toLowerCase() });
    await store.save([azure, other]);
    const upper = id.toUpperCase();
    expect(await store.findingsOf({ provider: 'azure', resourceId: upper })).toEqual([]);
    expect(
      (
        await store.findingsOf({ provider: 'azure', resourceId: upper, idCaseInsensitive: true })
      ).map((r) => r.id),
    ).toEqual(['az', 'az2']);
    expect(
      (
        await store.findingsOf({
          provider: 'azure',
          account: 'S',
          resourceId: upper,
          idCaseInsensitive: true,
        })
      ).map((r) => r.id),
    ).toEqual(['az']);
    expect(
      (await store.findingsOf({ provider: 'azure', resourceId: id })).map((r) => r.id),
    ).toEqual(['az']);
    // ASCII only, as SQLite's NOCASE: non-ASCII ids match themselves, not their case-folds.
    await store.save([record('u', { resourceId: 'Ä-bucket' })]);
    expect(
      (
        await store.findingsOf({ provider: 'aws', resourceId: 'Ä-BUCKET', idCaseInsensitive: true })
      ).map((r) => r.id),
    ).toEqual(['u']);
    expect(
      await store.findingsOf({ provider: 'aws', resourceId: 'ä-bucket', idCaseInsensitive: true }),
    ).toEqual([]);
  });

  it('migrates exactly once when six workers open a new database at once', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all(Array.from({ length: 6 }, () => open(url)));
    expect(stores).toHaveLength(6);
    const versions = await withPostgresClient(url, (client) =>
      client.query<{ version: number }>('SELECT version FROM drift_schema ORDER BY version'),
    ).then((result) => result.rows.map((row) => row.version));
    expect(versions).toEqual(POSTGRES_MIGRATIONS.map((_, index) => index + 1));
    await stores[0]!.save([record('a')]);
    expect((await stores[5]!.list()).map((r) => r.id)).toEqual(['a']);
  });

  it('refuses a newer schema, and a reader refuses to upgrade an older one', async () => {
    const url = await server.createDatabase();
    const reader = await openError(url, { migrate: false });
    expect(reader.message).toMatch(
      /has schema version 0, older than this drift-detective's \(\d+\); a scan, sweep or worker upgrades it$/,
    );
    // The reader left it as it found it.
    const tables = await withPostgresClient(url, (client) =>
      client.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public'"),
    );
    expect(tables.rowCount).toBe(0);
    await (await open(url)).close();
    await (await open(url, { migrate: false })).close();
    const newer = POSTGRES_MIGRATIONS.length + 1;
    await withPostgresClient(url, (client) =>
      client.query('INSERT INTO drift_schema (version, applied_at) VALUES ($1, now())', [newer]),
    );
    for (const migrate of [true, false]) {
      const error = await openError(url, { migrate });
      expect(error.message).toBe(
        `state ${url} has schema version ${newer}, newer than this drift-detective knows (${POSTGRES_MIGRATIONS.length}); upgrade drift-detective`,
      );
    }
  });

  it('says in one line, without the password, why a state cannot be opened', async () => {
    const secret = 'hunter2-very-secret';
    const port = server.port;
    // Nothing listens on port 1.
    const refused = await openError(`postgresql://drift:${secret}@127.0.0.1:1/db`);
    expect(refused.message).toBe(
      'state postgresql://drift@127.0.0.1:1/db cannot be opened: connect ECONNREFUSED 127.0.0.1:1',
    );
    const missing = await openError(`postgresql://drift:${secret}@127.0.0.1:${port}/nowhere`);
    expect(missing.message).toBe(
      `state postgresql://drift@127.0.0.1:${port}/nowhere cannot be opened: database "nowhere" does not exist`,
    );
    const role = await openError(`postgresql://nobody:${secret}@127.0.0.1:${port}/postgres`);
    expect(role.message).toMatch(/cannot be opened: role "nobody" does not exist$/);
    const unparsable = await openError(`postgresql://drift:${secret}@127.0.0.1:notaport/db`);
    expect(unparsable.message).toMatch(/^state postgresql:\/\/<unparsable URL> cannot be opened: /);
    for (const error of [refused, missing, role, unparsable]) {
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain('\n');
      expect(error.cause).toBeUndefined();
    }
  });

  it('says a wrong password without repeating it', async () => {
    const url = server.url;
    await withPostgresClient(url, async (client) => {
      await client.query("CREATE ROLE pwuser LOGIN PASSWORD 'right-password'");
      // The test server trusts everyone: make this one role prove its password.
      const file = (
        await client.query<{ setting: string }>(
          "SELECT setting FROM pg_settings WHERE name = 'hba_file'",
        )
      ).rows[0]!.setting;
      const hba = readFileSync(file, 'utf8');
      writeFileSync(file, `host all pwuser 127.0.0.1/32 scram-sha-256\n${hba}`);
      await client.query('SELECT pg_reload_conf()');
    });
    await sleep(200);
    const wrong = 'wrong-password-123';
    const error = await openError(`postgresql://pwuser:${wrong}@127.0.0.1:${server.port}/postgres`);
    expect(error.message).toBe(
      `state postgresql://pwuser@127.0.0.1:${server.port}/postgres cannot be opened: password authentication failed for user "pwuser"`,
    );
    // The right one connects (and, lacking the right to create tables, says so).
    const denied = await openError(
      `postgresql://pwuser:right-password@127.0.0.1:${server.port}/postgres`,
    );
    expect(denied.message).toMatch(/cannot be opened: permission denied for schema public$/);
  });

  it('holds sweep leases beside the pool: more sweeps than pooled connections still write', async () => {
    // Two pooled connections, three sweeps at once, each writing while it holds its lease.
    const { store } = await fresh({ poolSize: 2, connectTimeoutMs: 2_000 });
    const started = gate();
    let running = 0;
    const sweeps = ['s1', 's2', 's3'].map((sweepId) =>
      store.withSweepLease(sweepId, async () => {
        running += 1;
        if (running === 3) started.open();
        await started.opened;
        await store.save([record(sweepId)]);
        return sweepId;
      }),
    );
    expect(await Promise.all(sweeps)).toEqual(['s1', 's2', 's3']);
    expect((await store.list()).map((r) => r.id)).toEqual(['s1', 's2', 's3']);
  });

  it('applies lock_timeout to pg_advisory_lock, and the lock statement restores the session', async () => {
    const url = await server.createDatabase();
    const id = advisoryLockId('aws|arn:x');
    expect(id).toMatch(/^-?\d+$/);
    expect(SCHEMA_LOCK_ID).toBe(Buffer.from('driftsch').readBigInt64BE(0).toString());
    await withPostgresClient(url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [id]);
      const waiter = new pg.Client({ connectionString: url, statement_timeout: 150 });
      await waiter.connect();
      try {
        // lock_timeout alone, well under statement_timeout.
        await waiter.query('SET statement_timeout = 0');
        await waiter.query('SET lock_timeout = 200');
        let started = Date.now();
        const error = await waiter
          .query('SELECT pg_advisory_lock($1::bigint)', [id])
          .catch((e: unknown) => e);
        const waited = Date.now() - started;
        expect((error as pg.DatabaseError).code).toBe('55P03');
        expect((error as Error).message).toBe('canceling statement due to lock timeout');
        expect(waited).toBeGreaterThanOrEqual(190);
        expect(waited).toBeLessThan(2000);
        await waiter.query('RESET statement_timeout');
        await waiter.query('RESET lock_timeout');
        // Our statement lifts statement_timeout (150 ms here) above the lock wait (400 ms)…
        started = Date.now();
        const failed = await waiter.query(advisoryLockSql(id, 400, 150)).catch((e: unknown) => e);
        expect((failed as pg.DatabaseError).code).toBe('55P03');
        expect(Date.now() - started).toBeGreaterThanOrEqual(390);
        // …and, failed or not, leaves the session's own timeouts.
        const show = async () =>
          (await waiter.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!
            .statement_timeout;
        expect(await show()).toBe('150ms');
        await holder.query('SELECT pg_advisory_unlock($1::bigint)', [id]);
        await waiter.query(advisoryLockSql(id, 400, 150));
        expect(await show()).toBe('150ms');
        expect((await waiter.query('SHOW lock_timeout')).rows[0]).toEqual({ lock_timeout: '0' });
      } finally {
        await waiter.end();
      }
    });
  });

  describe('withResources', () => {
    const r1: LockedResource = { provider: 'aws', resourceId: 'arn:1' };
    const r2: LockedResource = { provider: 'aws', resourceId: 'arn:2' };
    const r3: LockedResource = { provider: 'aws', resourceId: 'arn:3' };
    const r4: LockedResource = { provider: 'aws', resourceId: 'arn:4' };

    it('keeps a second holder of a resource out while another resource proceeds', async () => {
      const { url, store: first } = await fresh();
      const second = await open(url); // a second pool: another worker, as far as locks go
      const events: string[] = [];
      const release = gate();
      const holding = gate();
      const held = first.withResources([r1], async (view) => {
        events.push('first has r1');
        await view.save([record('one')]);
        holding.open();
        await release.opened;
        events.push('first releases r1');
        return 'first';
      });
      await holding.opened;
      const waiting = second.withResources([{ ...r1, resourceId: 'ARN:1' }], async (view) => {
        events.push('second has r1');
        return (await view.list()).map((r) => r.id);
      });
      const other = await second.withResources([r2], async (view) => {
        events.push('second has r2');
        return (await view.list()).length;
      });
      expect(other).toBe(1);
      await sleep(300);
      expect(events).toEqual(['first has r1', 'second has r2']);
      release.open();
      expect(await held).toBe('first');
      expect(await waiting).toEqual(['one']);
      expect(events).toEqual([
        'first has r1',
        'second has r2',
        'first releases r1',
        'second has r1',
      ]);
    });

    it('gives up after lockTimeoutMs naming the resource and its holder', async () => {
      const { url, store: first } = await fresh();
      const second = await open(url, { lockTimeoutMs: 300, command: 'drift-detective worker' });
      const release = gate();
      const holding = gate();
      const held = first.withResources([r1], async () => {
        holding.open();
        await release.opened;
      });
      await holding.opened;
      const started = Date.now();
      const error = await second
        .withResources([r2, r1], () => Promise.resolve())
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(error).toBeInstanceOf(StateStoreError);
      expect((error as Error).message).toMatch(
        /^state postgresql:\/\/drift@127\.0\.0\.1:\d+\/\w+: aws resource arn:1 is in use by another run \(drift-detective scratch-test, server pid \d+\); waited 0\.\d s for it$/,
      );
      // r2, taken before r1 failed, was let go.
      expect(await first.withResources([r2], () => Promise.resolve('free'))).toBe('free');
      release.open();
      await held;
      expect(await second.withResources([r1], () => Promise.resolve('now'))).toBe('now');
    });

    it('locks overlapping sets in one order, so two workers never deadlock', async () => {
      const { url, store: a } = await fresh({ lockTimeoutMs: 10_000 });
      const b = await open(url, { lockTimeoutMs: 10_000 });
      const inside = new Map<string, number>();
      let overlaps = 0;
      const run = async (store: StateStore, resources: LockedResource[], rounds: number) => {
        for (let round = 0; round < rounds; round++) {
          await store.withResources(resources, async (view) => {
            const ids = [...new Set(resources.map((r) => r.resourceId))];
            for (const id of ids) {
              const n = (inside.get(id) ?? 0) + 1;
              inside.set(id, n);
              if (n > 1) overlaps++;
            }
            await view.save([record(`${resources[0]!.resourceId}-${round}`)]);
            await sleep(2);
            for (const id of ids) inside.set(id, inside.get(id)! - 1);
          });
        }
      };
      await Promise.all([
        run(a, [r1, r2, r3], 25),
        run(b, [r3, r2, r1], 25),
        run(a, [r4, r2], 25),
        run(b, [r2, r4, r4], 25),
      ]);
      expect(overlaps).toBe(0);
      expect((await a.list()).length).toBe(4 * 25);
    });

    it('nests on the same connection and unlocks each lock once', async () => {
      const { url, store } = await fresh();
      const other = await open(url, { lockTimeoutMs: 200 });
      const free = (resource: LockedResource) =>
        other.withResources([resource], () => Promise.resolve(true)).catch(() => false);
      await store.withResources([r1], async (outer) => {
        await outer.withResources([r2, r1], async (inner) => {
          await inner.save([record('nested')]);
          expect(await free(r2)).toBe(false);
        });
        // r1 stays the outer's; r2 was the inner's alone.
        expect(await free(r1)).toBe(false);
        expect(await free(r2)).toBe(true);
        expect((await outer.list()).map((r) => r.id)).toEqual(['nested']);
      });
      expect(await free(r1)).toBe(true);
    });

    it('refuses a view used after its work ended, and keeps concurrent saves apart', async () => {
      const { store } = await fresh();
      let leaked: StateStore | undefined;
      await store.withResources([r1], async (view) => {
        leaked = view as StateStore;
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => view.save([record(`c${i}`), record('shared')])),
        );
      });
      await expect(leaked!.list()).rejects.toThrow(/used after its work ended/);
      expect(await store.list()).toHaveLength(11);
    });

    it('frees the locks of a connection that broke, and of a process killed by SIGKILL', async () => {
      const { url, store } = await fresh();
      const other = await open(url, { lockTimeoutMs: 2_000 });
      const error = await store
        .withResources([r1], async (view) => {
          await withPostgresClient(url, (admin) =>
            admin.query(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'drift-detective scratch-test' AND datname = current_database()",
            ),
          );
          await sleep(100);
          return view.list();
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateStoreError);
      expect(await other.withResources([r1], () => Promise.resolve('taken'))).toBe('taken');
      // The store goes on with fresh connections.
      expect(await store.withResources([r1], (view) => view.list())).toEqual([]);

      // Another process takes r1's lock as withResources would, and dies holding it.
      const pgPath = createRequire(import.meta.url).resolve('pg');
      const child = spawn(
        process.execPath,
        [
          '-e',
          `const pg = require(${JSON.stringify(pgPath)});
           const c = new pg.Client({ connectionString: ${JSON.stringify(url)} });
           c.connect().then(() => c.query('SELECT pg_advisory_lock(${advisoryLockId('aws|arn:1')}::bigint)'))
             .then(() => console.log('locked'));`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await once(child.stdout!, 'data');
      await expect(other.withResources([r1], () => Promise.resolve())).rejects.toThrow(/in use/);
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(await other.withResources([r1], () => Promise.resolve('after death'))).toBe(
        'after death',
      );
    });

    it('bounds a write waiting on a row lock', async () => {
      const { url, store } = await fresh({ lockTimeoutMs: 300 });
      await store.save([record('a')]);
      await withPostgresClient(url, async (admin) => {
        await admin.query('BEGIN');
        await admin.query("SELECT 1 FROM findings WHERE id = 'a' FOR UPDATE");
        await expect(store.markPublished([{ id: 'a', contentHash: 'h1' }], 'T')).rejects.toThrow(
          /: canceling statement due to lock timeout$/,
        );
        await admin.query('ROLLBACK');
      });
      await store.markPublished([{ id: 'a', contentHash: 'h1' }], 'T');
      expect(await store.unpublished()).toEqual([]);
    });
  });
});
