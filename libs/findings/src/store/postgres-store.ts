import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FindingRecord, FindingStatus, ResourceRef } from '../finding.js';
import { POSTGRES_MIGRATIONS, SCHEMA_LOCK_ID, SCHEMA_TABLE_DDL } from './postgres-migrations.js';
import { pageClause } from './page-clause.js';
import { publishedRecord } from './published.js';
import { StateStoreError } from './sqlite-store.js';
import { redactUrl } from './state-location.js';
import {
  resourceLockKey,
  type LockedResource,
  type PublishedFinding,
  type ResourceObservation,
  type StateAccess,
  type StateStore,
  type SweepCheckpoint,
  type SweepProgress,
  type RecordPage,
} from './state-store.js';

export interface PostgresStateStoreOptions {
  /** The command that opens the state ("drift-detective worker"…): the sessions' application_name. */
  readonly command?: string | undefined;
  /**
   * Connections at most: DRIFT_STATE_POOL_SIZE (an operator's cap, against the
   * server's max_connections), else this, else 10. Each resource lock holds a
   * connection for its work, so a worker asks for its concurrency and one more.
   */
  readonly poolSize?: number | undefined;
  /** How long connecting (or waiting for a free pooled connection) may take; default 10 s. */
  readonly connectTimeoutMs?: number | undefined;
  /** How long one statement may take, on the server and on the wire; default 30 s. */
  readonly statementTimeoutMs?: number | undefined;
  /** How long to wait for a lock (a resource's, a row's, the schema's); default 60 s. */
  readonly lockTimeoutMs?: number | undefined;
  /**
   * Bring the schema up to date (the default, for scans, sweeps and workers).
   * `false` opens a reader (`findings list`): it checks the schema, never changes it.
   */
  readonly migrate?: boolean | undefined;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
/**
 * The client-side timeout of a query exceeds the server's statement_timeout by
 * this much: the server's cancel normally answers first, with a clean error;
 * the client's catches a network that stopped answering at all.
 */
const WIRE_MARGIN_MS = 5_000;

/** What a query returns: its rows. */
type Query = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>;

/** How the query side runs its statements: on the pool, or on one held connection. */
interface Runner {
  readonly query: Query;
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK on error): all or none. */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

interface Settings {
  readonly location: string;
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
}

interface RecordRow {
  readonly record: string;
}

/**
 * Why something failed, in one line: the server's message, a socket error's
 * code (a refused connection is an AggregateError of one per address), never
 * a stack, and never the password even if some message were to echo it.
 */
function reasonOf(error: unknown, secrets: readonly string[] = []): string {
  let text: string;
  if (error instanceof AggregateError && error.errors.length > 0) {
    text = [...new Set(error.errors.map((inner) => reasonOf(inner)))].join('; ');
  } else if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    text = error.message || (typeof code === 'string' ? code : error.name);
    if (typeof code === 'string' && !(error instanceof pg.DatabaseError) && !text.includes(code)) {
      text = `${text} (${code})`;
    }
  } else {
    text = String(error);
  }
  text = text.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) {
    // A very short password would blank out half the message; such a one is not worth hiding.
    if (secret.length >= 4) text = text.split(secret).join('***');
  }
  return text;
}

/** The passwords a connection URL carries, decoded, so no message can show them. */
function secretsOf(url: string): string[] {
  try {
    const parsed = new URL(url.trim());
    return [
      decodeURIComponent(parsed.password),
      parsed.searchParams.get('password') ?? '',
      parsed.searchParams.get('sslpassword') ?? '',
    ].filter((secret) => secret !== '');
  } catch {
    return [];
  }
}

/** An error of a statement: a StateStoreError naming the state (the driver's error is its cause). */
function statementError(location: string, error: unknown): StateStoreError {
  if (error instanceof StateStoreError) return error;
  return new StateStoreError(`state ${location}: ${reasonOf(error)}`, { cause: error });
}

/**
 * A PostgreSQL advisory lock id for a resource lock key: the first 8 bytes of
 * its SHA-256, as a signed int64 in decimal. Two keys sharing an id only make
 * two resources take turns.
 */
export function advisoryLockId(key: string): string {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}

/**
 * The statement that takes a session advisory lock, bounded by `lock_timeout`
 * (which PostgreSQL applies to advisory locks as to any heavyweight lock:
 * the wait ends with SQLSTATE 55P03). One simple-protocol message, so one
 * round trip: it lifts statement_timeout above the lock wait, takes the lock,
 * and RESETs both to the session's own values. The statements of one message
 * are one implicit transaction: when the lock fails, the SETs roll back with it.
 * The session lock survives that transaction (advisory session locks ignore
 * transactions). `lockId` comes from advisoryLockId: digits only.
 */
export function advisoryLockSql(
  lockId: string,
  lockTimeoutMs: number,
  statementTimeoutMs: number,
): string {
  if (!/^-?\d+$/.test(lockId)) throw new Error(`not an advisory lock id: ${lockId}`);
  return [
    `SET statement_timeout = ${Math.round(lockTimeoutMs + statementTimeoutMs)}`,
    `SET lock_timeout = ${Math.round(lockTimeoutMs)}`,
    `SELECT pg_advisory_lock(${lockId}::bigint)`,
    'RESET statement_timeout',
    'RESET lock_timeout',
  ].join('; ');
}

/** The SQLSTATE of a server error, if it is one. */
function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

/**
 * One connection taken from the pool. It knows when it can no longer be
 * trusted (a network error, a client-side timeout with a statement still in
 * flight, a FATAL from the server, the socket dropping while it is held): it
 * is then released as broken, so the pool discards it and the server, seeing
 * the session end, drops its locks and rolls back its transaction.
 */
class Connection {
  broken: unknown = undefined;
  private readonly onError = (error: Error): void => {
    // A held client has no pool listener: without this one a dropped socket
    // would be an unhandled 'error' event and end the process.
    this.broken ??= error;
  };

  constructor(private readonly client: pg.PoolClient) {
    client.on('error', this.onError);
  }

  async query<R extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
    timeoutMs?: number,
  ): Promise<R[]> {
    if (this.broken !== undefined) throw this.broken;
    try {
      // query_timeout per query is honoured by pg, though @types/pg does not list it.
      const config: pg.QueryConfig & { query_timeout?: number } = { text };
      if (values !== undefined) config.values = values;
      if (timeoutMs !== undefined) config.query_timeout = timeoutMs;
      const result = (await this.client.query<R>(config)) as
        pg.QueryResult<R> | pg.QueryResult<R>[];
      // A multi-statement message answers one result per statement: the rows of the last.
      return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
    } catch (error) {
      const fatal =
        error instanceof pg.DatabaseError && ['FATAL', 'PANIC'].includes(error.severity ?? '');
      if (!(error instanceof pg.DatabaseError) || fatal) this.broken ??= error;
      throw error;
    }
  }

  async transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
    await this.query('BEGIN');
    try {
      const result = await work((text, values) => this.query(text, values));
      await this.query('COMMIT');
      return result;
    } catch (error) {
      if (this.broken === undefined) {
        try {
          await this.query('ROLLBACK');
        } catch (rollbackError) {
          this.broken ??= rollbackError;
        }
      }
      throw error;
    }
  }

  release(): void {
    this.client.off('error', this.onError);
    const broken = this.broken;
    this.client.release(
      broken === undefined
        ? undefined
        : broken instanceof Error
          ? broken
          : new Error(String(broken)),
    );
  }
}

/** A connection of the pool to hold; a failure to get one is a one-line StateStoreError. */
/**
 * Sweeps one process holds a lease for at once, at most: one connection each,
 * beside the pool. A process runs as many sweeps at once as its concurrency
 * lets it take sweep requests; a sweep beyond this waits for a lease
 * connection up to the connect timeout, then fails (and is retried).
 */
export const MAX_SWEEP_LEASES = 64;

async function connect(pool: pg.Pool, location: string): Promise<Connection> {
  try {
    return new Connection(await pool.connect());
  } catch (error) {
    throw statementError(location, error);
  }
}

/** Runs each statement on any pooled connection, each transaction on one. */
class PoolRunner implements Runner {
  constructor(
    private readonly pool: pg.Pool,
    private readonly location: string,
  ) {}

  readonly query: Query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    try {
      // pool.query gives the connection back, discarding it after an error.
      return (await this.pool.query<R>(text, values)).rows;
    } catch (error) {
      throw statementError(this.location, error);
    }
  };

  async transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
    const connection = await connect(this.pool, this.location);
    try {
      return await connection.transaction(work);
    } catch (error) {
      throw statementError(this.location, error);
    } finally {
      connection.release();
    }
  }
}

/**
 * Runs everything on one held connection, one statement or transaction at a
 * time (a `work` that saves twice at once must not interleave two
 * transactions on one session).
 */
class SessionRunner implements Runner {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly connection: Connection,
    private readonly location: string,
  ) {}

  /** Runs `step` after every step queued before it. */
  serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.tail.then(step, step);
    this.tail = run.catch(() => undefined);
    return run;
  }

  readonly query: Query = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
    this.serial(async () => {
      try {
        return await this.connection.query<R>(text, values);
      } catch (error) {
        throw statementError(this.location, error);
      }
    });

  transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      try {
        return await this.connection.transaction(work);
      } catch (error) {
        throw statementError(this.location, error);
      }
    });
  }
}

type LockWork = <T>(
  resources: readonly LockedResource[],
  work: (state: StateAccess) => Promise<T>,
) => Promise<T>;

/** Keeps, of several rows with one key, the last; in key order (so writers lock rows in one order). */
function lastByKey<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}

/**
 * The query side, whatever runs its statements: the store runs them on the
 * pool, a `withResources` view on the connection holding its locks. The SQL
 * follows the SQLite store's (sqlite-store.ts) statement for statement.
 */
class PostgresAccess implements StateAccess {
  constructor(
    private readonly run: Runner,
    private readonly lock: LockWork,
    private readonly runLock: RunLock,
  ) {}

  private records(rows: readonly RecordRow[]): FindingRecord[] {
    return rows.map((row) => JSON.parse(row.record) as FindingRecord);
  }

  async findingsOf(
    resource: Omit<ResourceRef, 'account'> & {
      readonly account?: string;
      readonly idCaseInsensitive?: boolean | undefined;
    },
  ): Promise<FindingRecord[]> {
    // In the "C" collation lower() folds ASCII only, as SQLite's NOCASE does (ARM ids are ASCII).
    const id = resource.idCaseInsensitive
      ? 'lower(resource_id) = lower($2::text COLLATE "C")'
      : 'resource_id = $2';
    const rows =
      resource.account === undefined
        ? await this.run.query<RecordRow>(
            `SELECT record FROM findings WHERE provider = $1 AND ${id} ORDER BY id`,
            [resource.provider, resource.resourceId],
          )
        : await this.run.query<RecordRow>(
            `SELECT record FROM findings WHERE provider = $1 AND ${id} AND account = $3 ORDER BY id`,
            [resource.provider, resource.resourceId, resource.account],
          );
    return this.records(rows);
  }

  async openFindings(provider: string, page?: RecordPage): Promise<FindingRecord[]> {
    const { where, params, limit } = pageClause(page, '$2');
    return this.records(
      await this.run.query<RecordRow>(
        `SELECT record FROM findings WHERE provider = $1 AND status <> 'RESOLVED'${where} ORDER BY id${limit}`,
        [provider, ...params],
      ),
    );
  }

  async list(status?: FindingStatus): Promise<FindingRecord[]> {
    const rows = status
      ? await this.run.query<RecordRow>(
          'SELECT record FROM findings WHERE status = $1 ORDER BY id',
          [status],
        )
      : await this.run.query<RecordRow>('SELECT record FROM findings ORDER BY id');
    return this.records(rows);
  }

  async unpublished(page?: RecordPage): Promise<FindingRecord[]> {
    const { where, params, limit } = pageClause(page, '$1');
    return this.records(
      await this.run.query<RecordRow>(
        `SELECT record FROM findings WHERE pending_transition IS NOT NULL${where} ORDER BY id${limit}`,
        params,
      ),
    );
  }

  async save(
    records: readonly FindingRecord[],
    observed: readonly ResourceObservation[] = [],
  ): Promise<void> {
    if (records.length === 0 && observed.length === 0) return;
    await this.run.transaction(async (query) => {
      await upsert(query, records);
      await observe(query, observed);
    });
  }

  async lastObserved(resource: ResourceRef): Promise<string | undefined> {
    const [row] = await this.run.query<{ observed_at: string }>(
      `SELECT observed_at FROM resource_observations
       WHERE provider = $1 AND account = $2 AND resource_id = $3`,
      [resource.provider, resource.account, resource.resourceId],
    );
    return row?.observed_at;
  }

  async claim(ids: readonly string[]): Promise<ReadonlySet<string>> {
    if (ids.length === 0) return new Set();
    const run = await this.runLock.key();
    const unique = [...new Set(ids)].sort();
    return this.run.transaction(async (query) => {
      // Rows are locked in id order; a claim held by a run whose key lock is gone is taken over.
      const mine = await query<{ id: string }>(
        `UPDATE findings f SET claimed_by = $2::bigint
         WHERE f.id = ANY($1::text[]) AND f.pending_transition IS NOT NULL
           AND (f.claimed_by IS NULL OR f.claimed_by = $2::bigint OR NOT ${runIsAlive('f.claimed_by')})
         RETURNING f.id`,
        [unique, run],
      );
      // Read after the update, so a claim another run committed meanwhile is seen as pending.
      const idle = await query<{ id: string }>(
        'SELECT id FROM findings WHERE id = ANY($1::text[]) AND pending_transition IS NULL',
        [unique],
      );
      return new Set([...mine, ...idle].map((row) => row.id));
    });
  }

  async markPublished(sent: readonly PublishedFinding[], at: string): Promise<void> {
    if (sent.length === 0) return;
    await this.run.transaction(async (query) => {
      // Locked in id order, so two publishers never deadlock on each other's rows.
      const rows = await query<{ id: string; record: string }>(
        'SELECT id, record FROM findings WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
        [[...new Set(sent.map((finding) => finding.id))]],
      );
      const current = new Map(rows.map((row) => [row.id, row.record]));
      const changed = new Map<string, string>();
      // In the order sent, as the SQLite store does, each against the record as it is by then.
      for (const { id, contentHash } of sent) {
        const text = current.get(id);
        if (text === undefined) continue;
        const published = publishedRecord(JSON.parse(text) as FindingRecord, contentHash, at);
        if (!published) continue;
        const updated = JSON.stringify(published);
        current.set(id, updated);
        changed.set(id, updated);
      }
      if (changed.size === 0) return;
      await query(
        `UPDATE findings f SET pending_transition = NULL, claimed_by = NULL, record = u.record
         FROM unnest($1::text[], $2::text[]) AS u(id, record) WHERE f.id = u.id`,
        [[...changed.keys()], [...changed.values()]],
      );
    });
  }

  async savePage(
    records: readonly FindingRecord[],
    checkpoint: SweepCheckpoint,
    observed: readonly ResourceObservation[] = [],
  ): Promise<void> {
    await this.run.transaction(async (query) => {
      await upsert(query, records);
      await observe(query, observed);
      const seen = [...new Set(checkpoint.seen)].sort();
      if (seen.length > 0) {
        await query(
          `INSERT INTO sweep_seen (sweep_id, resource_id) SELECT $1, unnest($2::text[])
           ON CONFLICT DO NOTHING`,
          [checkpoint.sweepId, seen],
        );
      }
      await query(
        `INSERT INTO sweep_checkpoints (sweep_id, cursor, skipped, updated_at, started_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sweep_id) DO UPDATE SET cursor = excluded.cursor,
           skipped = sweep_checkpoints.skipped + excluded.skipped, updated_at = excluded.updated_at,
           started_at = COALESCE(sweep_checkpoints.started_at, excluded.started_at)`,
        [
          checkpoint.sweepId,
          checkpoint.cursor,
          checkpoint.skipped,
          checkpoint.at,
          checkpoint.startedAt ?? checkpoint.at,
        ],
      );
    });
  }

  async sweepProgress(sweepId: string): Promise<SweepProgress | undefined> {
    const [row] = await this.run.query<{
      cursor: string;
      skipped: number;
      started_at: string | null;
    }>('SELECT cursor, skipped, started_at FROM sweep_checkpoints WHERE sweep_id = $1', [sweepId]);
    return row && { cursor: row.cursor, skipped: row.skipped, startedAt: row.started_at };
  }

  async unseenOpenFindings(sweepId: string, provider: string): Promise<FindingRecord[]> {
    return this.records(
      await this.run.query<RecordRow>(
        `SELECT record FROM findings f WHERE provider = $1 AND status <> 'RESOLVED'
           AND NOT EXISTS (SELECT 1 FROM sweep_seen s WHERE s.sweep_id = $2 AND s.resource_id = f.resource_id)
         ORDER BY id`,
        [provider, sweepId],
      ),
    );
  }

  async clearSweep(sweepId: string): Promise<void> {
    await this.run.transaction(async (query) => {
      await query('DELETE FROM sweep_seen WHERE sweep_id = $1', [sweepId]);
      await query('DELETE FROM sweep_checkpoints WHERE sweep_id = $1', [sweepId]);
    });
  }

  withResources<T>(
    resources: readonly LockedResource[],
    work: (state: StateAccess) => Promise<T>,
  ): Promise<T> {
    return this.lock(resources, work);
  }
}

/** Writes records in one statement; the caller holds the transaction. */
async function upsert(query: Query, records: readonly FindingRecord[]): Promise<void> {
  // One statement cannot update a row twice: of one id the last record wins, as in SQLite.
  const rows = lastByKey(records, (record) => record.id);
  if (rows.length === 0) return;
  await query(
    `INSERT INTO findings (id, provider, account, resource_id, rule_id, status, pending_transition, record)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (id) DO UPDATE SET status = excluded.status,
       pending_transition = excluded.pending_transition, record = excluded.record`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.provider),
      rows.map((r) => r.account),
      rows.map((r) => r.resourceId),
      rows.map((r) => r.ruleId),
      rows.map((r) => r.status),
      rows.map((r) => r.pendingTransition),
      rows.map((r) => JSON.stringify(r)),
    ],
  );
}

/** Keeps the newest observation of each resource; the caller holds the transaction. */
async function observe(query: Query, observed: readonly ResourceObservation[]): Promise<void> {
  // Of one resource in one batch the newest counts (SQLite applies them in turn, keeping the newest).
  const newest = new Map<string, ResourceObservation>();
  for (const o of observed) {
    const key = JSON.stringify([o.provider, o.account, o.resourceId]);
    const kept = newest.get(key);
    if (kept === undefined || o.observedAt > kept.observedAt) newest.set(key, o);
  }
  const rows = lastByKey([...newest.values()], (o) =>
    JSON.stringify([o.provider, o.account, o.resourceId]),
  );
  if (rows.length === 0) return;
  await query(
    `INSERT INTO resource_observations (provider, account, resource_id, observed_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (provider, account, resource_id) DO UPDATE SET observed_at = excluded.observed_at
     WHERE excluded.observed_at > resource_observations.observed_at`,
    [
      rows.map((o) => o.provider),
      rows.map((o) => o.account),
      rows.map((o) => o.resourceId),
      rows.map((o) => o.observedAt),
    ],
  );
}

/**
 * The resource locks of one held connection: session-level advisory locks,
 * taken in key order, each wait bounded by lock_timeout. They are re-entrant
 * (a nested `withResources` may lock a key again) and each lock is unlocked
 * exactly once.
 */
/**
 * SQL: whether the run whose key is `column` still lives, i.e. holds its key
 * as a session advisory lock. A bigint advisory lock shows in pg_locks as
 * classid (high 32 bits), objid (low 32 bits) and objsubid 1
 * (https://www.postgresql.org/docs/current/view-pg-locks.html).
 */
function runIsAlive(column: string): string {
  return `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
    AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = ${column})`;
}

/**
 * This store's run, as other runs see it: a random key, held as a session
 * advisory lock on a connection of its own from the first claim until the
 * store closes. A run that dies loses that connection, and with it the lock:
 * its claims are then free to take.
 */
class RunLock {
  private holder: Promise<pg.PoolClient> | undefined;
  private readonly id = BigInt.asIntN(64, randomBytes(8).readBigUInt64BE()).toString();

  constructor(
    private readonly pool: pg.Pool,
    private readonly location: string,
  ) {}

  /** The run's key, once its lock is held. */
  async key(): Promise<string> {
    this.holder ??= (async () => {
      const client = await this.pool.connect();
      try {
        client.on('error', () => undefined);
        await client.query('SELECT pg_advisory_lock($1::bigint)', [this.id]);
        return client;
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
    })();
    try {
      await this.holder;
    } catch (error) {
      this.holder = undefined;
      throw statementError(this.location, error);
    }
    return this.id;
  }

  /**
   * Ends the run: its key is unlocked before this returns (a connection merely
   * dropped is seen by the server a moment later), so its claims are free at
   * once; a connection that cannot say so is discarded, which ends them too.
   */
  async release(): Promise<void> {
    const holder = this.holder;
    this.holder = undefined;
    const client = await holder?.catch(() => undefined);
    if (!client) return;
    try {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.id]);
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  }
}

class LockSession {
  constructor(
    private readonly runner: SessionRunner,
    private readonly settings: Settings,
    private readonly runLock: RunLock,
  ) {}

  async withLocks<T>(
    resources: readonly LockedResource[],
    work: (state: StateAccess) => Promise<T>,
  ): Promise<T> {
    const byKey = new Map<string, LockedResource>();
    for (const resource of resources) {
      const key = resourceLockKey(resource);
      if (!byKey.has(key)) byKey.set(key, resource);
    }
    const held: string[] = [];
    let live = true;
    const alive = (): void => {
      if (!live) {
        throw new StateStoreError(
          `state ${this.settings.location}: a withResources view was used after its work ended`,
        );
      }
    };
    const view = new PostgresAccess(
      {
        query: (text, values) => {
          alive();
          return this.runner.query(text, values);
        },
        transaction: (step) => {
          alive();
          return this.runner.transaction(step);
        },
      },
      (more, next) => {
        alive();
        return this.withLocks(more, next);
      },
      this.runLock,
    );
    try {
      for (const key of [...byKey.keys()].sort()) {
        const lockId = advisoryLockId(key);
        await this.lock(lockId, byKey.get(key) as LockedResource);
        held.push(lockId);
      }
      return await work(view);
    } finally {
      live = false;
      if (held.length > 0) await this.unlock(held);
    }
  }

  private async lock(lockId: string, resource: LockedResource): Promise<void> {
    const { lockTimeoutMs, statementTimeoutMs, location } = this.settings;
    const started = Date.now();
    try {
      await this.runner.serial(() =>
        this.runner.connection.query(
          advisoryLockSql(lockId, lockTimeoutMs, statementTimeoutMs),
          undefined,
          lockTimeoutMs + statementTimeoutMs + WIRE_MARGIN_MS,
        ),
      );
    } catch (error) {
      if (sqlState(error) !== '55P03') throw statementError(location, error);
      const holder = await this.holderOf(lockId);
      throw new StateStoreError(
        `state ${location}: ${resource.provider} resource ${resource.resourceId} is in use by another run` +
          `${holder}; waited ${Math.round((Date.now() - started) / 100) / 10} s for it`,
      );
    }
  }

  /** Who holds a lock, as far as this session may see (pg_stat_activity hides others' details). */
  private async holderOf(lockId: string): Promise<string> {
    const unsigned = BigInt.asUintN(64, BigInt(lockId));
    try {
      const [row] = await this.runner.serial(() =>
        this.runner.connection.query<{ pid: number; application_name: string | null }>(
          `SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND l.classid = $1::oid AND l.objid = $2::oid
           LIMIT 1`,
          [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()],
        ),
      );
      if (row === undefined) return '';
      return row.application_name
        ? ` (${row.application_name}, server pid ${row.pid})`
        : ` (server pid ${row.pid})`;
    } catch {
      return '';
    }
  }

  /**
   * Unlocks each key once. A failure leaves the connection marked broken: it
   * is then discarded, and the server drops every lock it held.
   */
  private async unlock(lockIds: readonly string[]): Promise<void> {
    const { connection } = this.runner;
    await this.runner.serial(async () => {
      if (connection.broken !== undefined) return;
      try {
        await connection.query('SELECT pg_advisory_unlock(k) FROM unnest($1::bigint[]) AS k', [
          lockIds,
        ]);
      } catch (error) {
        connection.broken ??= error;
      }
    });
  }
}

/**
 * Brings the schema up to date, or (a reader) only checks it. Pending steps
 * are applied in one transaction under a transaction-level advisory lock, so
 * of N workers starting at once one migrates and the others, once it
 * committed, find nothing left to do.
 */
async function prepareSchema(pool: pg.Pool, migrate: boolean, location: string): Promise<void> {
  const known = POSTGRES_MIGRATIONS.length;
  const newer = (version: number) =>
    new StateStoreError(
      `state ${location} has schema version ${version}, newer than this drift-detective knows (${known}); upgrade drift-detective`,
    );
  const versionOf = async (query: Query): Promise<number> => {
    const [present] = await query<{ present: boolean }>(
      "SELECT to_regclass('drift_schema') IS NOT NULL AS present",
    );
    if (!present?.present) return 0;
    const [row] = await query<{ version: number | null }>(
      'SELECT max(version) AS version FROM drift_schema',
    );
    return row?.version ?? 0;
  };
  const connection = new Connection(await pool.connect());
  try {
    const query: Query = (text, values) => connection.query(text, values);
    const version = await versionOf(query);
    if (version > known) throw newer(version);
    if (version === known) return;
    if (!migrate) {
      throw new StateStoreError(
        `state ${location} has schema version ${version}, older than this drift-detective's (${known}); a scan, sweep or worker upgrades it`,
      );
    }
    await connection.transaction(async (step) => {
      await step('SELECT pg_advisory_xact_lock($1::bigint)', [SCHEMA_LOCK_ID]);
      await step(SCHEMA_TABLE_DDL);
      // Read again under the lock: another worker may have migrated meanwhile.
      const now = await versionOf(step);
      if (now > known) throw newer(now);
      for (let next = now; next < known; next++) {
        await step(POSTGRES_MIGRATIONS[next] as string);
        await step('INSERT INTO drift_schema (version, applied_at) VALUES ($1, now())', [next + 1]);
      }
    });
  } finally {
    connection.release();
  }
}

/** A positive whole number of milliseconds (or a count), or the fallback. */
function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.round(value) : fallback;
}

/** The pool size from DRIFT_STATE_POOL_SIZE, if it names one. */
function envPoolSize(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = Number(env['DRIFT_STATE_POOL_SIZE']);
  return env['DRIFT_STATE_POOL_SIZE'] !== '' && Number.isInteger(value) && value > 0
    ? value
    : undefined;
}

/**
 * The state many workers share: PostgreSQL, through a pool of connections.
 *
 * Every write is one transaction. `withResources` serialises the runs that
 * work on one resource, in this process or any other, with session-level
 * advisory locks held on one connection for the whole work (its view runs
 * every query on that connection, so the work never waits for a second one
 * from the pool while holding locks). Recovery needs nothing: a process that
 * dies, even by SIGKILL, loses its connections, and PostgreSQL then rolls
 * back their transactions and frees their locks; a connection found broken
 * is discarded the same way.
 *
 * Every network call is bounded: connecting by `connectTimeoutMs`, each
 * statement by `statement_timeout` on the server and a slightly longer
 * client-side `query_timeout`, each lock wait by `lock_timeout`.
 *
 * How to reach and authenticate to the server is the connection URL's
 * business, as node-postgres parses it: TLS through `sslmode=` (require,
 * verify-ca, verify-full) and `sslrootcert=`/`sslcert=`/`sslkey=`, the
 * schema through `options=-c search_path=…`; the standard PG* environment
 * variables fill in what the URL leaves out. Token-based logins (AWS RDS IAM,
 * Microsoft Entra ID, Cloud SQL IAM) pass the token as the password, or
 * connect through the provider's proxy (Cloud SQL Auth Proxy) on localhost.
 * The first, migrating, open needs the right to create tables in the schema;
 * readers need only to read.
 */
export class PostgresStateStore implements StateStore {
  readonly driver = 'pg';
  private readonly access: PostgresAccess;
  private readonly runLock: RunLock;

  private constructor(
    private readonly pool: pg.Pool,
    /**
     * The sweep leases' connections, apart from the pool: a lease holds its
     * connection for a whole sweep, and sweeps taken from a queue may run as
     * many at once as events do, so leases drawn from the pool would leave
     * their own pages no connection to write with.
     */
    private readonly leases: pg.Pool,
    private readonly settings: Settings,
  ) {
    this.runLock = new RunLock(pool, settings.location);
    this.access = new PostgresAccess(
      new PoolRunner(pool, settings.location),
      (resources, work) => this.withResources(resources, work),
      this.runLock,
    );
  }

  /** The URL without its password. */
  get location(): string {
    return this.settings.location;
  }

  /**
   * Connects, and brings the schema up to date (or, with `migrate: false`,
   * checks it). Any failure is a one-line StateStoreError:
   * `state <location> cannot be opened: <reason>`.
   */
  static async open(
    url: string,
    options: PostgresStateStoreOptions = {},
  ): Promise<PostgresStateStore> {
    const location = redactUrl(url);
    const statementTimeoutMs = positive(options.statementTimeoutMs, DEFAULT_STATEMENT_TIMEOUT_MS);
    const lockTimeoutMs = positive(options.lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS);
    const command = options.command?.trim();
    let pool: pg.Pool | undefined;
    try {
      const config: pg.PoolConfig = {
        connectionString: url,
        connectionTimeoutMillis: positive(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
        statement_timeout: statementTimeoutMs,
        query_timeout: statementTimeoutMs + WIRE_MARGIN_MS,
        lock_timeout: lockTimeoutMs,
        // Our transactions never wait on anything but the server: one idle this long is stuck.
        idle_in_transaction_session_timeout: statementTimeoutMs,
        application_name: !command
          ? 'drift-detective'
          : command.startsWith('drift-detective')
            ? command
            : `drift-detective ${command}`,
        keepAlive: true,
      };
      pool = new pg.Pool({
        ...config,
        max: envPoolSize() ?? positive(options.poolSize, DEFAULT_POOL_SIZE),
      });
      // An idle connection that drops (a server restart) is removed by the pool; nothing to do.
      pool.on('error', () => undefined);
      await prepareSchema(pool, options.migrate !== false, location);
      // Connects only when a sweep starts; one connection per sweep in progress.
      const leases = new pg.Pool({ ...config, max: MAX_SWEEP_LEASES });
      leases.on('error', () => undefined);
      return new PostgresStateStore(pool, leases, { location, statementTimeoutMs, lockTimeoutMs });
    } catch (error) {
      await pool?.end().catch(() => undefined);
      if (error instanceof StateStoreError) throw error;
      // No cause: the driver's error may carry the URL (an invalid URL's `input`).
      throw new StateStoreError(
        `state ${location} cannot be opened: ${reasonOf(error, secretsOf(url))}`,
      );
    }
  }

  findingsOf(
    resource: Omit<ResourceRef, 'account'> & {
      readonly account?: string;
      readonly idCaseInsensitive?: boolean | undefined;
    },
  ): Promise<FindingRecord[]> {
    return this.access.findingsOf(resource);
  }

  openFindings(provider: string, page?: RecordPage): Promise<FindingRecord[]> {
    return this.access.openFindings(provider, page);
  }

  list(status?: FindingStatus): Promise<FindingRecord[]> {
    return this.access.list(status);
  }

  unpublished(page?: RecordPage): Promise<FindingRecord[]> {
    return this.access.unpublished(page);
  }

  save(
    records: readonly FindingRecord[],
    observed?: readonly ResourceObservation[],
  ): Promise<void> {
    return this.access.save(records, observed);
  }

  lastObserved(resource: ResourceRef): Promise<string | undefined> {
    return this.access.lastObserved(resource);
  }

  markPublished(sent: readonly PublishedFinding[], at: string): Promise<void> {
    return this.access.markPublished(sent, at);
  }

  savePage(
    records: readonly FindingRecord[],
    checkpoint: SweepCheckpoint,
    observed?: readonly ResourceObservation[],
  ): Promise<void> {
    return this.access.savePage(records, checkpoint, observed);
  }

  sweepProgress(sweepId: string): Promise<SweepProgress | undefined> {
    return this.access.sweepProgress(sweepId);
  }

  unseenOpenFindings(sweepId: string, provider: string): Promise<FindingRecord[]> {
    return this.access.unseenOpenFindings(sweepId, provider);
  }

  clearSweep(sweepId: string): Promise<void> {
    return this.access.clearSweep(sweepId);
  }

  claim(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.access.claim(ids);
  }

  /**
   * The lease is a session advisory lock on a connection held for the whole
   * sweep, tried without waiting (pg_try_advisory_lock): a sweep running
   * elsewhere is not waited for, and a dead one's lease goes with its connection.
   */
  async withSweepLease<T>(sweepId: string, work: () => Promise<T>): Promise<T | undefined> {
    const connection = await connect(this.leases, this.location);
    const lockId = advisoryLockId(`sweep|${sweepId}`);
    // The lease's own statements fail as the state's errors; the work's pass through as they are.
    const lease = async (sql: string): Promise<boolean> => {
      try {
        const [row] = await connection.query<{ done: boolean }>(`SELECT ${sql} AS done`, [lockId]);
        return row?.done === true;
      } catch (error) {
        throw statementError(this.location, error);
      }
    };
    try {
      if (!(await lease('pg_try_advisory_lock($1::bigint)'))) return undefined;
      try {
        return await work();
      } finally {
        // A broken connection is discarded below, and the server ends the lease with it.
        await lease('pg_advisory_unlock($1::bigint)').catch(() => undefined);
      }
    } finally {
      connection.release();
    }
  }

  /**
   * Takes one connection for the whole work and locks the resources on it
   * (see LockSession). A lock not had within lockTimeoutMs is a
   * StateStoreError naming the resource (and, when visible, who holds it).
   */
  async withResources<T>(
    resources: readonly LockedResource[],
    work: (state: StateAccess) => Promise<T>,
  ): Promise<T> {
    const connection = await connect(this.pool, this.location);
    try {
      const runner = new SessionRunner(connection, this.location);
      return await new LockSession(runner, this.settings, this.runLock).withLocks(resources, work);
    } finally {
      // Broken: discarded, and the server frees whatever locks it still held.
      connection.release();
    }
  }

  async close(): Promise<void> {
    await this.runLock.release();
    await Promise.all([this.pool.end(), this.leases.end()]);
  }
}
