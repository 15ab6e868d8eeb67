import { setTimeout as sleep } from 'node:timers/promises';
import type { StateLockHolder } from './state-lock.js';
import { isPostgresUrl } from './state-location.js';
import { PostgresStateStore } from './postgres-store.js';
import { SqliteStateStore, StateStoreError } from './sqlite-store.js';
import type { FindingRecord, FindingStatus } from '../finding.js';
import type { StateStore } from './state-store.js';

export interface OpenStateOptions {
  /** Who opens it ("drift-detective scan"…): the SQLite lock's holder, PostgreSQL's application_name. */
  readonly command?: string | undefined;
  /**
   * Only to read (`findings list`): a SQLite file without its writer lock, a
   * PostgreSQL schema checked but never migrated.
   */
  readonly readOnly?: boolean | undefined;
  /** SQLite: how long to wait for another writer (default DRIFT_STATE_WAIT_SECONDS, else 30 s). */
  readonly waitMs?: number | undefined;
  /** SQLite: hears once who holds the file while this run waits. */
  readonly onWait?: ((holder: StateLockHolder) => void) | undefined;
  /** PostgreSQL: connections wanted at once (a worker's concurrency + 1); DRIFT_STATE_POOL_SIZE caps it. */
  readonly poolSize?: number | undefined;
}

/**
 * Opens the state a `--state` value names: a `postgresql://` (or
 * `postgres://`) URL selects the shared PostgreSQL store that many workers
 * write at once; anything else is a SQLite file, one writer at a time. Throws
 * StateStoreError when it cannot be used.
 */
export async function openStateStore(
  location: string,
  options: OpenStateOptions = {},
): Promise<StateStore> {
  if (isPostgresUrl(location)) {
    return PostgresStateStore.open(location, {
      command: options.command,
      migrate: options.readOnly !== true,
      poolSize: options.poolSize,
    });
  }
  if (options.readOnly) return openSqliteReader(location);
  return SqliteStateStore.open(location, {
    command: options.command,
    waitMs: options.waitMs,
    onWait: options.onWait,
  });
}

/** How long a reader retries a file its writer is checkpointing or closing. */
const READER_BUSY_MS = 5_000;

/**
 * A reader of a SQLite state file: no writer lock, so it reads while a scan or
 * an adapter writes. Its busy timeout covers reads, but not the moment a
 * writer closes the file: "the last connection ... will acquire an exclusive
 * lock for a short time while it cleans up the WAL and shared-memory files",
 * and a reader opening then gets "database is locked" at once
 * (https://www.sqlite.org/wal.html, "Sometimes Queries Return SQLITE_BUSY In
 * WAL Mode"). That is retried for a few seconds.
 */
async function openSqliteReader(file: string): Promise<SqliteStateStore> {
  const deadline = Date.now() + READER_BUSY_MS;
  for (;;) {
    try {
      return new SqliteStateStore(file, { lock: false });
    } catch (error) {
      const busy = error instanceof StateStoreError && /database is locked/.test(error.message);
      if (!busy || Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/**
 * A reader's look at a state another process may be writing, closed again
 * before it returns. `unpublished`: only the findings whose last transition
 * no hub has taken yet.
 */
export async function readStateFindings(
  location: string,
  which: { readonly status?: FindingStatus; readonly unpublished?: boolean } = {},
): Promise<FindingRecord[]> {
  const store = await openStateStore(location, { readOnly: true });
  try {
    return await (which.unpublished ? store.unpublished() : store.list(which.status));
  } finally {
    await store.close();
  }
}
