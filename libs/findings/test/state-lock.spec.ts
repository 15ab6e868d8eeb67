// One state has one writer: the worker, sweeps and scans take the same lock
// beside the state file, and a second writer is told who holds it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/store/migrations.js';
import { openSqlite } from '../src/store/sqlite-driver.js';
import { lockFileOf } from '../src/store/state-lock.js';
import { SqliteStateStore, StateLockedError } from '../src/store/sqlite-store.js';

async function stateFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'drift-lock-')), 'state.db');
}

/** The pid of a process that has ended. */
function deadPid(): number {
  return Number(
    execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']),
  );
}

async function foreignLock(file: string, host: string, pid = 4242) {
  await writeFile(
    lockFileOf(file),
    JSON.stringify({
      pid,
      host,
      command: 'drift-detective aws',
      since: '2026-12-06T10:00:00Z',
      token: 't',
    }),
  );
}

describe('the state writer lock', () => {
  it('refuses a second writer by name, and lets the next one in once the first closes', async () => {
    const file = await stateFile();
    const first = new SqliteStateStore(file, { command: 'drift-detective scan' });
    const refused = (() => {
      try {
        new SqliteStateStore(file);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(StateLockedError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `state file .*state\\.db is in use by pid ${process.pid} \\(drift-detective scan\\) on ${hostname()} since `,
      ),
    );
    await first.close();
    expect(existsSync(lockFileOf(file))).toBe(false);
    await new SqliteStateStore(file).close();
  });

  it('lets a reader list while a writer holds the state', async () => {
    const file = await stateFile();
    const writer = new SqliteStateStore(file);
    const reader = new SqliteStateStore(file, { lock: false });
    expect(await reader.list()).toEqual([]);
    await reader.close();
    expect(existsSync(lockFileOf(file))).toBe(true);
    await writer.close();
  });

  it('lets a reader change nothing: an older schema is named, not upgraded without the lock', async () => {
    const file = await stateFile();
    const { db } = openSqlite(file);
    db.exec(MIGRATIONS[0] ?? '');
    db.exec('PRAGMA user_version = 1');
    db.close();
    expect(() => new SqliteStateStore(file, { lock: false })).toThrow(
      /has schema version 1, older than this drift-detective's .*; a scan, sweep or worker upgrades it/,
    );
    const { db: after } = openSqlite(file);
    expect(after.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
    after.close();
    expect(existsSync(lockFileOf(file))).toBe(false);
  });

  it('takes over the lock of a process on this host that has ended (a kill -9)', async () => {
    const file = await stateFile();
    await foreignLock(file, hostname(), deadPid());
    const store = new SqliteStateStore(file, { command: 'drift-detective scan' });
    await store.close();
  });

  it("waits for another host's lock while it is kept fresh, and takes it over once abandoned", async () => {
    const file = await stateFile();
    await foreignLock(file, 'other-host.internal');
    expect(() => new SqliteStateStore(file)).toThrow(
      /in use by pid 4242 \(drift-detective aws\) on other-host\.internal/,
    );
    const threeMinutesAgo = new Date(Date.now() - 180_000);
    await utimes(lockFileOf(file), threeMinutesAgo, threeMinutesAgo);
    await new SqliteStateStore(file).close();
  });

  it('open() waits for the holder to finish, saying once who holds it; then refuses after the wait', async () => {
    const file = await stateFile();
    const first = new SqliteStateStore(file, { command: 'first' });
    const heard: string[] = [];
    setTimeout(() => void first.close(), 300);
    const second = await SqliteStateStore.open(file, {
      waitMs: 10_000,
      onWait: (holder) => heard.push(holder.command),
    });
    expect(heard).toEqual(['first']);
    await expect(SqliteStateStore.open(file, { waitMs: 200 })).rejects.toThrow(
      /is in use by pid \d+ \(drift-detective\) .*; waited 0 s: one state has one writer/,
    );
    await second.close();
  });

  it("never removes a successor's lock", async () => {
    const file = await stateFile();
    const first = new SqliteStateStore(file);
    // The lock was taken over (say, judged abandoned) and is someone else's now.
    await foreignLock(file, 'other-host.internal');
    await first.close();
    expect(existsSync(lockFileOf(file))).toBe(true);
  });
});
