import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { openSqlite } from './sqlite-driver.js';
import { SqliteStateStore, StateStoreError } from './sqlite-store.js';
import { findingRecord as record } from '../../test/records.js';

async function stateFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'drift-state-')), 'state.db');
}

describe('SqliteStateStore', () => {
  it('keeps findings across opens of the same file', async () => {
    const file = await stateFile();
    const store = new SqliteStateStore(file);
    store.save([record('a'), record('b', { status: 'RESOLVED', pendingTransition: 'resolved' })]);
    store.close();
    const reopened = new SqliteStateStore(file);
    expect(reopened.list().map((r) => r.id)).toEqual(['a', 'b']);
    expect(reopened.list('RESOLVED').map((r) => r.id)).toEqual(['b']);
    expect(reopened.openFindings('aws').map((r) => r.id)).toEqual(['a']);
    expect(reopened.findingsOf({ provider: 'aws', resourceId: 'arn:aws:s3:::a' })).toHaveLength(1);
    expect(
      reopened.findingsOf({ provider: 'aws', account: 'other', resourceId: 'arn:aws:s3:::a' }),
    ).toEqual([]);
    // Ids are matched exactly, unless the provider's ids ignore case.
    expect(reopened.findingsOf({ provider: 'aws', resourceId: 'ARN:AWS:S3:::A' })).toEqual([]);
    expect(
      reopened
        .findingsOf({ provider: 'aws', resourceId: 'ARN:AWS:S3:::A', idCaseInsensitive: true })
        .map((r) => r.resourceId),
    ).toEqual(['arn:aws:s3:::a']);
    reopened.close();
  });

  it('publishes: clears the pending transition and records what was sent', async () => {
    const store = new SqliteStateStore(await stateFile());
    store.save([record('a'), record('b')]);
    expect(store.unpublished().map((r) => r.id)).toEqual(['a', 'b']);
    store.markPublished([{ id: 'a', contentHash: 'h1' }], 'T2');
    expect(store.unpublished().map((r) => r.id)).toEqual(['b']);
    expect(store.list()[0]).toMatchObject({
      id: 'a',
      pendingTransition: null,
      publishedAt: 'T2',
      publishedHash: 'h1',
    });
    store.close();
  });

  it('writes a batch all or nothing', async () => {
    const store = new SqliteStateStore(await stateFile());
    store.save([record('a')]);
    const broken = record('b', { status: 'BROKEN' as never });
    expect(() => store.save([record('a', { message: 'changed' }), broken])).toThrow(
      /CHECK constraint/,
    );
    expect(store.list().map((r) => [r.id, r.message])).toEqual([['a', 'm']]);
    store.close();
  });

  it('migrates a new file to the current schema version and refuses a newer one', async () => {
    const file = await stateFile();
    new SqliteStateStore(file).close();
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

  it('keeps the newest observation of each resource, with the findings or a page', async () => {
    const store = new SqliteStateStore(await stateFile());
    const ref = { provider: 'aws', account: '123456789012', resourceId: 'arn:aws:s3:::a' };
    expect(store.lastObserved(ref)).toBeUndefined();
    store.save([record('a')], [{ ...ref, observedAt: '2026-11-02T00:00:00Z' }]);
    store.save([], [{ ...ref, observedAt: '2026-11-01T00:00:00Z' }]); // older: kept out
    expect(store.lastObserved(ref)).toBe('2026-11-02T00:00:00Z');
    store.savePage([], { sweepId: 's', cursor: 'c', seen: [], skipped: 0, at: 'T' }, [
      { ...ref, observedAt: '2026-11-03T00:00:00Z' },
    ]);
    expect(store.lastObserved(ref)).toBe('2026-11-03T00:00:00Z');
    expect(store.lastObserved({ ...ref, account: '999999999999' })).toBeUndefined();
    store.close();
  });

  it('saves a sweep page with its checkpoint, sums skips and knows which resources were unseen', async () => {
    const file = await stateFile();
    const store = new SqliteStateStore(file);
    expect(store.sweepProgress('s1')).toBeUndefined();
    store.save([record('gone'), record('closed', { status: 'RESOLVED' })]);
    store.savePage([record('a')], {
      sweepId: 's1',
      cursor: 'p1',
      seen: ['arn:aws:s3:::a'],
      skipped: 1,
      at: 'T1',
    });
    store.savePage([], {
      sweepId: 's1',
      cursor: 'p2',
      seen: ['arn:aws:s3:::x'],
      skipped: 2,
      at: 'T2',
      startedAt: 'T2',
    });
    store.close();
    const reopened = new SqliteStateStore(file);
    // The start is the first page's: a resumed run does not move it.
    expect(reopened.sweepProgress('s1')).toEqual({ cursor: 'p2', skipped: 3, startedAt: 'T1' });
    expect(reopened.list().map((r) => r.id)).toEqual(['a', 'closed', 'gone']);
    expect(reopened.unseenOpenFindings('s1', 'aws').map((r) => r.id)).toEqual(['gone']);
    // Another sweep has seen nothing yet.
    expect(reopened.unseenOpenFindings('s2', 'aws').map((r) => r.id)).toEqual(['a', 'gone']);
    reopened.clearSweep('s1');
    expect(reopened.sweepProgress('s1')).toBeUndefined();
    expect(reopened.unseenOpenFindings('s1', 'aws').map((r) => r.id)).toEqual(['a', 'gone']);
    reopened.close();
  });

  it('writes a page and its checkpoint all or nothing', async () => {
    const store = new SqliteStateStore(await stateFile());
    const broken = record('b', { status: 'BROKEN' as never });
    expect(() =>
      store.savePage([record('a'), broken], {
        sweepId: 's',
        cursor: 'p1',
        seen: ['x'],
        skipped: 0,
        at: 'T1',
      }),
    ).toThrow(/CHECK constraint/);
    expect(store.list()).toEqual([]);
    expect(store.sweepProgress('s')).toBeUndefined();
    store.save([record('x', { resourceId: 'x' })]);
    expect(store.unseenOpenFindings('s', 'aws').map((r) => r.id)).toEqual(['x']);
    store.close();
  });

  it('upgrades a file of schema version 1 in place, keeping its findings', async () => {
    const file = await stateFile();
    const { db } = openSqlite(file);
    db.exec(MIGRATIONS[0] ?? '');
    db.exec('PRAGMA user_version = 1');
    db.close();
    const v1 = new SqliteStateStore(file);
    v1.save([record('a')]);
    v1.close();
    // Simulate a file written by the version-1 code: roll the version back, drop the new tables.
    const { db: raw } = openSqlite(file);
    raw.exec(
      'DROP TABLE sweep_checkpoints; DROP TABLE sweep_seen; DROP TABLE resource_observations;',
    );
    raw.exec('PRAGMA user_version = 1');
    raw.close();
    const store = new SqliteStateStore(file);
    expect(store.list().map((r) => r.id)).toEqual(['a']);
    store.savePage([], { sweepId: 's', cursor: 'c', seen: [], skipped: 0, at: 'T' });
    expect(store.sweepProgress('s')).toEqual({ cursor: 'c', skipped: 0, startedAt: 'T' });
    store.close();
  });
});
