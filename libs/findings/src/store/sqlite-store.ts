import { accessSync, constants, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FindingRecord, FindingStatus, ResourceRef } from '../finding.js';
import { MIGRATIONS } from './migrations.js';
import {
  inTransaction,
  openSqlite,
  withPreparedStatements,
  type SqlDatabase,
  type SqliteDriver,
} from './sqlite-driver.js';
import { describeHolder, StateLock, type StateLockHolder } from './state-lock.js';
import { KeyedLock } from './keyed-lock.js';
import { pageClause } from './page-clause.js';
import { publishedRecord } from './published.js';
import {
  resourceLockKey,
  type LockedResource,
  type PublishedFinding,
  type StateAccess,
  type ResourceObservation,
  type StateStore,
  type SweepCheckpoint,
  type SweepProgress,
  type RecordPage,
} from './state-store.js';

/** The open findings of a provider; read in id order, a page at a time, on findings_open_by_id. */
export const OPEN_FINDINGS =
  "SELECT record FROM findings WHERE provider = ? AND status != 'RESOLVED'";

/** The state file cannot be used: it names the file and what is wrong. */
export class StateStoreError extends Error {
  override readonly name: string = 'StateStoreError';
}

/** Another run writes the state file: it names who, and since when. */
export class StateLockedError extends StateStoreError {
  override readonly name: string = 'StateLockedError';
  constructor(
    readonly file: string,
    readonly holder: StateLockHolder,
    waitedMs = 0,
  ) {
    super(
      `state file ${file} is in use by ${describeHolder(holder)}` +
        (waitedMs > 0 ? `; waited ${Math.round(waitedMs / 1000)} s` : '') +
        ': one state has one writer (DRIFT_STATE_WAIT_SECONDS sets how long to wait)',
    );
  }
}

/** How long a run waits for another to finish with the state file: DRIFT_STATE_WAIT_SECONDS, else 30 s. */
function stateWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env['DRIFT_STATE_WAIT_SECONDS']);
  return Number.isFinite(seconds) && seconds >= 0 && env['DRIFT_STATE_WAIT_SECONDS'] !== ''
    ? seconds * 1000
    : 30_000;
}

export interface SqliteStateStoreOptions {
  readonly driver?: SqliteDriver | undefined;
  /**
   * Take the writer lock (the default): the worker, sweeps and scans write
   * one state one at a time. `false` only to read, as `findings list` does.
   */
  readonly lock?: boolean | undefined;
  /** What the lock names as its holder ("drift-detective scan"…). */
  readonly command?: string | undefined;
}

interface Row {
  readonly record: string;
}

/** SQLite's WAL-mode companions of a database file (https://www.sqlite.org/tempfiles.html). */
const COMPANIONS = ['-wal', '-shm'];

/**
 * A state file must be writable, and so must its folder (WAL mode creates its
 * -wal and -shm files there): said up front in one line, not as SQLite's
 * "attempt to write a readonly database" half-way through.
 */
function assertWritable(file: string): void {
  const check = (target: string, what: string) => {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
      throw new StateStoreError(
        `state file ${file} cannot be written: ${what} is read-only (${code})`,
      );
    }
  };
  if (existsSync(file)) check(file, 'the file');
  check(path.dirname(path.resolve(file)), `its folder ${path.dirname(path.resolve(file))}`);
}

/**
 * The embedded default: one SQLite file in WAL mode with full sync, so a
 * committed transaction survives a crash or power loss
 * (https://www.sqlite.org/wal.html, https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export class SqliteStateStore implements StateStore {
  private readonly db: SqlDatabase;
  /** The SQLite driver in use (see sqlite-driver.ts). */
  readonly driver: SqliteDriver;
  private readonly lock: StateLock | undefined;
  private readonly resourceLocks = new KeyedLock();
  /** Sweeps running in this process: the only writer of the file. */
  private readonly sweeping = new Set<string>();
  readonly location: string;

  /** Opens the state file now, or throws StateLockedError when another run writes it. */
  constructor(
    readonly file: string,
    options: SqliteStateStoreOptions = {},
  ) {
    this.location = file;
    const writer = options.lock !== false;
    if (writer) {
      assertWritable(file);
      const lock = StateLock.tryAcquire(file, options.command ?? 'drift-detective');
      if (!(lock instanceof StateLock)) throw new StateLockedError(file, lock);
      this.lock = lock;
    }
    // What a failed open leaves behind is removed: only what it created.
    const existed = new Set(COMPANIONS.filter((suffix) => existsSync(`${file}${suffix}`)));
    const fileExisted = existsSync(file);
    let db: SqlDatabase | undefined;
    try {
      ({ db, driver: this.driver } = openSqlite(file, options.driver));
      db = withPreparedStatements(db);
      this.db = db;
      if (writer) this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = FULL');
      this.db.exec('PRAGMA busy_timeout = 5000');
      this.migrate(writer);
    } catch (error) {
      try {
        db?.close();
      } catch {
        // Closing a database that failed to open: nothing more to release.
      }
      // Only the writer cleans up: a reader's "created" WAL may be a live writer's.
      if (writer) {
        for (const suffix of COMPANIONS) {
          if (!existed.has(suffix)) rmSync(`${file}${suffix}`, { force: true });
        }
        if (!fileExisted) rmSync(file, { force: true });
      }
      this.lock?.release();
      if (error instanceof StateStoreError) throw error;
      throw new StateStoreError(
        `state file ${file} cannot be opened: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /**
   * Opens the state file as its one writer, waiting up to `waitMs` (default
   * DRIFT_STATE_WAIT_SECONDS, else 30 s) for another
   * run to finish with it (`onWait` hears once who holds it); then
   * StateLockedError names the holder.
   */
  static async open(
    file: string,
    options: SqliteStateStoreOptions & {
      readonly waitMs?: number | undefined;
      readonly onWait?: ((holder: StateLockHolder) => void) | undefined;
    } = {},
  ): Promise<SqliteStateStore> {
    const started = Date.now();
    const waitMs = options.waitMs ?? stateWaitMs();
    let told = false;
    for (;;) {
      try {
        return new SqliteStateStore(file, options);
      } catch (error) {
        if (!(error instanceof StateLockedError)) throw error;
        const waited = Date.now() - started;
        if (waited >= waitMs) {
          throw new StateLockedError(file, error.holder, waited);
        }
        if (!told) options.onWait?.(error.holder);
        told = true;
        await sleep(100);
      }
    }
  }

  /** Brings the schema up to date; a reader, which holds no lock, only checks it. */
  private migrate(writer: boolean): void {
    const { user_version: version } = this.db.prepare('PRAGMA user_version').get() as {
      user_version: number;
    };
    if (version > MIGRATIONS.length) {
      throw new StateStoreError(
        `state file ${this.file} has schema version ${version}, newer than this drift-detective knows (${MIGRATIONS.length}); upgrade drift-detective`,
      );
    }
    const pendingSteps = MIGRATIONS.slice(version);
    if (pendingSteps.length === 0) return;
    if (!writer) {
      throw new StateStoreError(
        `state file ${this.file} has schema version ${version}, older than this drift-detective's (${MIGRATIONS.length}); a scan, sweep or worker upgrades it`,
      );
    }
    inTransaction(this.db, () => {
      for (const step of pendingSteps) this.db.exec(step);
      this.db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    });
  }

  private records(rows: readonly Row[]): FindingRecord[] {
    return rows.map((row) => JSON.parse(row.record) as FindingRecord);
  }

  async findingsOf(
    resource: Omit<ResourceRef, 'account'> & {
      readonly account?: string;
      readonly idCaseInsensitive?: boolean | undefined;
    },
  ): Promise<FindingRecord[]> {
    // NOCASE folds ASCII only, which is what ARM ids are made of.
    const id = resource.idCaseInsensitive ? 'resource_id = ? COLLATE NOCASE' : 'resource_id = ?';
    const rows =
      resource.account === undefined
        ? this.db
            .prepare(`SELECT record FROM findings WHERE provider = ? AND ${id} ORDER BY id`)
            .all(resource.provider, resource.resourceId)
        : this.db
            .prepare(
              `SELECT record FROM findings WHERE provider = ? AND account = ? AND ${id} ORDER BY id`,
            )
            .all(resource.provider, resource.account, resource.resourceId);
    return this.records(rows as Row[]);
  }

  async openFindings(provider: string, page?: RecordPage): Promise<FindingRecord[]> {
    const { where, params, limit } = pageClause(page, '?');
    return this.records(
      this.db
        .prepare(`${OPEN_FINDINGS}${where} ORDER BY id${limit}`)
        .all(provider, ...params) as Row[],
    );
  }

  async list(status?: FindingStatus): Promise<FindingRecord[]> {
    const rows = status
      ? this.db.prepare('SELECT record FROM findings WHERE status = ? ORDER BY id').all(status)
      : this.db.prepare('SELECT record FROM findings ORDER BY id').all();
    return this.records(rows as Row[]);
  }

  async unpublished(page?: RecordPage): Promise<FindingRecord[]> {
    const { where, params, limit } = pageClause(page, '?');
    return this.records(
      this.db
        .prepare(
          `SELECT record FROM findings WHERE pending_transition IS NOT NULL${where} ORDER BY id${limit}`,
        )
        .all(...params) as Row[],
    );
  }

  async save(
    records: readonly FindingRecord[],
    observed: readonly ResourceObservation[] = [],
  ): Promise<void> {
    inTransaction(this.db, () => {
      this.upsert(records);
      this.observe(observed);
    });
  }

  async lastObserved(resource: ResourceRef): Promise<string | undefined> {
    const row = this.db
      .prepare(
        'SELECT observed_at FROM resource_observations WHERE provider = ? AND account = ? AND resource_id = ?',
      )
      .get(resource.provider, resource.account, resource.resourceId) as
      { observed_at: string } | undefined;
    return row?.observed_at;
  }

  /** Keeps the newest observation of each resource; the caller holds the transaction. */
  private observe(observed: readonly ResourceObservation[]): void {
    if (observed.length === 0) return;
    const upsert = this.db.prepare(
      `INSERT INTO resource_observations (provider, account, resource_id, observed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (provider, account, resource_id) DO UPDATE SET observed_at = excluded.observed_at
       WHERE excluded.observed_at > resource_observations.observed_at`,
    );
    for (const o of observed) upsert.run(o.provider, o.account, o.resourceId, o.observedAt);
  }

  /** Writes records; the caller holds the transaction. */
  private upsert(records: readonly FindingRecord[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO findings (id, provider, account, resource_id, rule_id, status, pending_transition, record)
       VALUES (@id, @provider, @account, @resourceId, @ruleId, @status, @pendingTransition, @record)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status,
         pending_transition = excluded.pending_transition, record = excluded.record`,
    );
    for (const r of records) {
      upsert.run({
        id: r.id,
        provider: r.provider,
        account: r.account,
        resourceId: r.resourceId,
        ruleId: r.ruleId,
        status: r.status,
        pendingTransition: r.pendingTransition,
        record: JSON.stringify(r),
      });
    }
  }

  async savePage(
    records: readonly FindingRecord[],
    checkpoint: SweepCheckpoint,
    observed: readonly ResourceObservation[] = [],
  ): Promise<void> {
    const progress = this.db.prepare(
      `INSERT INTO sweep_checkpoints (sweep_id, cursor, skipped, updated_at, started_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (sweep_id) DO UPDATE SET cursor = excluded.cursor,
         skipped = sweep_checkpoints.skipped + excluded.skipped, updated_at = excluded.updated_at,
         started_at = COALESCE(sweep_checkpoints.started_at, excluded.started_at)`,
    );
    const seen = this.db.prepare(
      'INSERT OR IGNORE INTO sweep_seen (sweep_id, resource_id) VALUES (?, ?)',
    );
    inTransaction(this.db, () => {
      this.upsert(records);
      this.observe(observed);
      for (const id of checkpoint.seen) seen.run(checkpoint.sweepId, id);
      progress.run(
        checkpoint.sweepId,
        checkpoint.cursor,
        checkpoint.skipped,
        checkpoint.at,
        checkpoint.startedAt ?? checkpoint.at,
      );
    });
  }

  async sweepProgress(sweepId: string): Promise<SweepProgress | undefined> {
    return this.db
      .prepare(
        'SELECT cursor, skipped, started_at AS startedAt FROM sweep_checkpoints WHERE sweep_id = ?',
      )
      .get(sweepId) as SweepProgress | undefined;
  }

  async unseenOpenFindings(sweepId: string, provider: string): Promise<FindingRecord[]> {
    return this.records(
      this.db
        .prepare(
          `SELECT record FROM findings f WHERE provider = ? AND status != 'RESOLVED'
             AND NOT EXISTS (SELECT 1 FROM sweep_seen s WHERE s.sweep_id = ? AND s.resource_id = f.resource_id)
           ORDER BY id`,
        )
        .all(provider, sweepId) as Row[],
    );
  }

  async clearSweep(sweepId: string): Promise<void> {
    inTransaction(this.db, () => {
      this.db.prepare('DELETE FROM sweep_seen WHERE sweep_id = ?').run(sweepId);
      this.db.prepare('DELETE FROM sweep_checkpoints WHERE sweep_id = ?').run(sweepId);
    });
  }

  async markPublished(sent: readonly PublishedFinding[], at: string): Promise<void> {
    const select = this.db.prepare('SELECT record FROM findings WHERE id = ?');
    const update = this.db.prepare(
      'UPDATE findings SET pending_transition = NULL, record = ? WHERE id = ?',
    );
    inTransaction(this.db, () => {
      for (const { id, contentHash } of sent) {
        const row = select.get(id) as Row | undefined;
        if (!row) continue;
        const published = publishedRecord(JSON.parse(row.record) as FindingRecord, contentHash, at);
        if (published) update.run(JSON.stringify(published), id);
      }
    });
  }

  /** One run writes a state file at a time (its writer lock): any other run's claims ended with it. */
  async claim(ids: readonly string[]): Promise<ReadonlySet<string>> {
    const rows = this.db
      .prepare('SELECT id FROM findings WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids)) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  /**
   * One process writes a state file (its writer lock), so turns between the
   * runs of this process are all it takes: a keyed lock per resource.
   */
  async withResources<T>(
    resources: readonly LockedResource[],
    work: (state: StateAccess) => Promise<T>,
  ): Promise<T> {
    const keys = [...new Set(resources.map(resourceLockKey))].sort();
    const take = (index: number): Promise<T> =>
      index === keys.length
        ? work(this)
        : this.resourceLocks.run(keys[index] as string, () => take(index + 1));
    return take(0);
  }

  async withSweepLease<T>(sweepId: string, work: () => Promise<T>): Promise<T | undefined> {
    if (this.sweeping.has(sweepId)) return undefined;
    this.sweeping.add(sweepId);
    try {
      return await work();
    } finally {
      this.sweeping.delete(sweepId);
    }
  }

  async close(): Promise<void> {
    this.db.close();
    this.lock?.release();
  }
}
