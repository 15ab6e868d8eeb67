import { createRequire } from 'node:module';

/**
 * The few SQLite calls the state store makes, as both drivers offer them:
 * better-sqlite3 (a native addon: the default, on every supported Node) and
 * Node's built-in node:sqlite (Node ≥ 22.13 without a flag; what a one-file
 * Lambda bundle uses, since a native addon cannot be bundled).
 */
export interface SqlStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqlDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqlStatement;
  close(): unknown;
}

export const SQLITE_DRIVERS = ['better-sqlite3', 'node:sqlite'] as const;
export type SqliteDriver = (typeof SQLITE_DRIVERS)[number];

/** Selects the driver: DRIFT_SQLITE_DRIVER, else better-sqlite3 when installed, else node:sqlite. */
export const SQLITE_DRIVER_ENV = 'DRIFT_SQLITE_DRIVER';

// createRequire, not import: a bundler must leave the native addon out, and
// the fallback needs a synchronous "is it there?".
const require = createRequire(import.meta.url);

type Open = (file: string) => SqlDatabase;

/**
 * Loads node:sqlite without its ExperimentalWarning ("SQLite is an experimental
 * feature…", emitted once on load by Node 24, https://nodejs.org/api/sqlite.html
 * stability 1.1): the driver is chosen on purpose, and a warning banner on
 * every command's stderr would bury the one line a failure prints.
 */
function requireNodeSqlite(): unknown {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.startsWith('SQLite is an experimental feature')) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return require('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
}

function loader(driver: SqliteDriver): Open {
  if (driver === 'node:sqlite') {
    const { DatabaseSync } = requireNodeSqlite() as {
      DatabaseSync: new (file: string) => SqlDatabase;
    };
    return (file) => new DatabaseSync(file);
  }
  const Database = require('better-sqlite3') as new (file: string) => SqlDatabase;
  return (file) => new Database(file);
}

export function openSqlite(
  file: string,
  driver: SqliteDriver | undefined = driverFromEnv(),
): { db: SqlDatabase; driver: SqliteDriver } {
  if (driver) return { db: loader(driver)(file), driver };
  const reasons: string[] = [];
  for (const candidate of SQLITE_DRIVERS) {
    let open: Open;
    try {
      open = loader(candidate);
      // A native addon built for another Node loads its binding only when a
      // database opens: try one in memory, so a file error below is the file's.
      open(':memory:').close();
    } catch (error) {
      reasons.push(`${candidate}: ${(error as Error).message.split('\n')[0] ?? ''}`);
      continue;
    }
    return { db: open(file), driver: candidate };
  }
  throw new Error(`no SQLite driver can be loaded (${reasons.join('; ')})`);
}

function driverFromEnv(): SqliteDriver | undefined {
  const value = process.env[SQLITE_DRIVER_ENV];
  if (value === undefined || value === '') return undefined;
  if (!SQLITE_DRIVERS.includes(value as SqliteDriver)) {
    throw new Error(
      `${SQLITE_DRIVER_ENV} must be one of ${SQLITE_DRIVERS.join(', ')}, not '${value}'`,
    );
  }
  return value as SqliteDriver;
}

/**
 * The database with each SQL text prepared once: a store runs the same few
 * statements for every resource, and preparing one is a parse and a plan each
 * time. Statements are only run, never left iterating, so sharing one is safe.
 */
export function withPreparedStatements(db: SqlDatabase): SqlDatabase {
  const prepared = new Map<string, SqlStatement>();
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql) => {
      let statement = prepared.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        prepared.set(sql, statement);
      }
      return statement;
    },
    close: () => {
      prepared.clear();
      return db.close();
    },
  };
}

/**
 * Runs fn in one write transaction (BEGIN IMMEDIATE takes the write lock up
 * front, so two processes never deadlock upgrading read locks): all of it or none.
 */
export function inTransaction<T>(db: SqlDatabase, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (an I/O or full-disk error ends the transaction itself).
    }
    throw error;
  }
}
