import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { lambdaNodeBinary, otherNodeLineBinary } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { openSqlite, SQLITE_DRIVER_ENV } from '../src/store/sqlite-driver.js';
import { SqliteStateStore } from '../src/store/sqlite-store.js';
import { findingRecord } from './records.js';

const run = promisify(execFile);
const child = path.join(import.meta.dirname, 'node-sqlite-child.ts');

async function stateFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'drift-driver-')), 'state.db');
}

const record = findingRecord('f1', { resourceId: 'arn:aws:s3:::web', resourceName: 'web' });

/** Runs the store on Node 22's built-in node:sqlite, as the Lambda bundle does. */
async function onNode22(...args: string[]) {
  return onNode22With({}, ...args);
}

async function onNode22With(env: NodeJS.ProcessEnv, ...args: string[]) {
  return onNodeWith(lambdaNodeBinary(), env, ...args);
}

async function onNodeWith(node: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  const { stdout } = await run(node, ['--no-warnings', '--import', 'tsx', child, ...args], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout) as {
    driver: string;
    node: string;
    list: [string, string | null, string | null][];
    progress: { cursor: string; skipped: number } | null;
  };
}

/** npm ci built the native addon for the Node of the main test run; another line cannot load it. */
const addonBuiltForThisNode = process.env['DRIFT_TEST_RUN'] === undefined;

describe('SQLite drivers', () => {
  it('uses better-sqlite3 where it is installed for this Node, else node:sqlite', async () => {
    const store = new SqliteStateStore(await stateFile());
    expect(store.driver).toBe(addonBuiltForThisNode ? 'better-sqlite3' : 'node:sqlite');
    await store.close();
  });

  it('names a driver the environment asks for that does not exist', async () => {
    const saved = process.env[SQLITE_DRIVER_ENV];
    process.env[SQLITE_DRIVER_ENV] = 'sqlite4';
    try {
      expect(() => openSqlite(':memory:')).toThrow(
        /DRIFT_SQLITE_DRIVER must be one of better-sqlite3, node:sqlite, not 'sqlite4'/,
      );
    } finally {
      if (saved === undefined) delete process.env[SQLITE_DRIVER_ENV];
      else process.env[SQLITE_DRIVER_ENV] = saved;
    }
  });

  it('keeps one file format: node:sqlite on Node 22 writes what better-sqlite3 reads, and back', async () => {
    const file = await stateFile();
    const written = await onNode22(file, 'write', JSON.stringify(record));
    expect(written.driver).toBe('node:sqlite');
    expect(written.node).toMatch(/^v22\./);
    expect(written.list).toEqual([
      ['f1', null, 'T3'],
      ['f1-page', 'new', null],
    ]);
    expect(written.progress).toEqual({ cursor: 'page-2', skipped: 1, startedAt: 'T2' });

    const store = new SqliteStateStore(file);
    expect((await store.list()).map((f) => [f.id, f.pendingTransition])).toEqual([
      ['f1', null],
      ['f1-page', 'new'],
    ]);
    await store.save([{ ...record, id: 'f2', pendingTransition: 'resolved' }]);
    await store.close();

    const read = await onNode22(file, 'read');
    expect(read.list.map(([id, transition]) => [id, transition])).toEqual([
      ['f1', null],
      ['f1-page', 'new'],
      ['f2', 'resolved'],
    ]);
  }, 60_000);

  it('falls back to node:sqlite when the native addon cannot load (built for another Node)', async () => {
    // This workspace's better-sqlite3 is compiled for the Node of the main test run, not the other line.
    const other = addonBuiltForThisNode ? otherNodeLineBinary() : process.execPath;
    const chosen = await onNodeWith(
      other,
      { DRIFT_CHILD_DRIVER: 'auto' },
      await stateFile(),
      'read',
    );
    expect(chosen.driver).toBe('node:sqlite');
    expect(chosen.list).toEqual([]);
  }, 60_000);

  it('rolls a failed write back whole, as both drivers see it', async () => {
    const file = await stateFile();
    // A record that cannot be written in the middle of a batch: none of the batch lands.
    const store = new SqliteStateStore(file);
    await expect(
      store.save([
        { ...record, id: 'ok' },
        { ...record, id: 'bad', details: { size: 1n } },
      ]),
    ).rejects.toThrow(/BigInt/);
    expect(await store.list()).toEqual([]);
    await store.save([{ ...record, id: 'after' }]);
    await store.close();
    const read = await onNode22(file, 'read');
    expect(read.list).toEqual([['after', 'new', null]]);
  }, 60_000);
});
