import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { openSqlite } from './sqlite-driver.js';
import { OPEN_FINDINGS, SqliteStateStore, StateStoreError } from './sqlite-store.js';
import { findingRecord as record } from '../../test/records.js';

// What every store does is in test/state-store-contract.ts; here is what only a file does.

async function stateFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'drift-state-')), 'state.db');
}

describe('SqliteStateStore', () => {
  it('migrates a new file to the current schema version and refuses a newer one', async () => {
    const file = await stateFile();
    await new SqliteStateStore(file).close();
    // Whichever driver this Node loads (the native addon may be built for another line).
    const { db } = openSqlite(file);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => new SqliteStateStore(file)).toThrow(StateStoreError);
    expect(() => new SqliteStateStore(file)).toThrow(
      /schema version 99, newer than this drift-detective knows/,
    );
  });

  it('names the file when it is not a database', async () => {
    const file = await stateFile();
    await writeFile(file, 'this is not sqlite, just text long enough to have a header '.repeat(10));
    expect(() => new SqliteStateStore(file)).toThrow(
      new RegExp(`state file ${file} cannot be opened`),
    );
  });

  it('upgrades a file of schema version 1 in place, keeping its findings', async () => {
    const file = await stateFile();
    const { db } = openSqlite(file);
    db.exec(MIGRATIONS[0] ?? '');
    db.exec('PRAGMA user_version = 1');
    db.close();
    const v1 = new SqliteStateStore(file);
    await v1.save([record('a')]);
    await v1.close();
    // Simulate a file written by the version-1 code: roll the version back, drop the new tables.
    const { db: raw } = openSqlite(file);
    raw.exec(
      'DROP TABLE sweep_checkpoints; DROP TABLE sweep_seen; DROP TABLE resource_observations;',
    );
    raw.exec('PRAGMA user_version = 1');
    raw.close();
    const store = new SqliteStateStore(file);
    expect((await store.list()).map((r) => r.id)).toEqual(['a']);
    await store.savePage([], { sweepId: 's', cursor: 'c', seen: [], skipped: 0, at: 'T' });
    expect(await store.sweepProgress('s')).toEqual({ cursor: 'c', skipped: 0, startedAt: 'T' });
    await store.close();
  });
});

describe('reading the open findings page by page', () => {
  it('walks an index in id order: no page sorts every open finding again', async () => {
    const store = new SqliteStateStore(await stateFile());
    await store.close();
    const { db } = openSqlite(store.location);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${OPEN_FINDINGS} AND id > ? ORDER BY id LIMIT 1000`)
      .all('aws', 'f') as { detail: string }[];
    db.close();
    const details = plan.map((step) => step.detail).join('; ');
    expect(details).toContain('findings_open_by_id');
    expect(details).not.toContain('TEMP B-TREE');
  });
});
