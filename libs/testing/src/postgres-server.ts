import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './process-waits.js';

/** The role initdb makes the superuser: every URL a server hands out connects as it. */
const SUPERUSER = 'drift';
/** Where Debian installs each PostgreSQL major version: /usr/lib/postgresql/<version>/bin. */
const DEBIAN_ROOT = '/usr/lib/postgresql';
/** The bound on each wait: initdb, the first connection, a shutdown. */
const WAIT_MS = 30_000;
/** How much of the server's stderr to keep for an error message. */
const STDERR_TAIL = 4000;
/** Each cluster's temp dir: <tmp>/drift-pg-XXXXXX, holding data/, the socket and OWNER_FILE. */
const DIR_PREFIX = 'drift-pg-';
/** The pid of the test process that made the cluster, for the sweep of those left behind. */
const OWNER_FILE = 'owner.pid';

export interface PostgresServer {
  /** postgresql://drift@127.0.0.1:<port>/postgres: the maintenance database, as the superuser. */
  readonly url: string;
  readonly port: number;
  /** The directory of its Unix socket (.s.PGSQL.<port>), for clients that prefer one. */
  readonly socketDir: string;
  /**
   * Creates a fresh, empty database (a unique name when `name` is omitted)
   * and returns its URL, so each test or worker gets a store of its own.
   */
  createDatabase(name?: string): Promise<string>;
  /** Fast shutdown (SIGINT), bounded, then removes the cluster. Idempotent. */
  stop(): Promise<void>;
  /** Ends the server as a crash would (SIGKILL), then removes the cluster. Idempotent. */
  kill(): Promise<void>;
}

/**
 * The newest of Debian's version directories (`15`, `16`, `9.6`…), by
 * number, not by name; anything else in the listing is ignored.
 */
export function newestPostgresVersion(names: readonly string[]): string | undefined {
  const versions = names.filter((name) => /^\d+(\.\d+)?$/.test(name));
  const key = (name: string) => name.split('.').map(Number);
  return versions.sort((a, b) => {
    const [aMajor = 0, aMinor = 0] = key(a);
    const [bMajor = 0, bMinor = 0] = key(b);
    return bMajor - aMajor || bMinor - aMinor;
  })[0];
}

function hasServer(bindir: string): boolean {
  return existsSync(path.join(bindir, 'initdb')) && existsSync(path.join(bindir, 'postgres'));
}

function pgConfigBindir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined; // no pg_config on PATH
  }
}

/**
 * PostgreSQL's bindir: DRIFT_POSTGRES_BIN as given when set; else
 * `pg_config --bindir` when it holds the server (libpq-dev's pg_config
 * answers even without one); else the newest /usr/lib/postgresql/<v>/bin
 * that does. Undefined when none is installed. tools/src/toolchain/postgres.ts
 * looks in the same places before it installs one.
 */
export function findPostgresBinaries(): string | undefined {
  const override = process.env['DRIFT_POSTGRES_BIN'];
  if (override) return override;
  const configured = pgConfigBindir();
  if (configured && hasServer(configured)) return configured;
  const installed = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT).filter((version) =>
        hasServer(path.join(DEBIAN_ROOT, version, 'bin')),
      )
    : [];
  const newest = newestPostgresVersion(installed);
  return newest === undefined ? undefined : path.join(DEBIAN_ROOT, newest, 'bin');
}

function bindirOrThrow(): string {
  const bindir = findPostgresBinaries();
  if (bindir === undefined) {
    throw new Error(
      'PostgreSQL is not installed (no initdb via DRIFT_POSTGRES_BIN, `pg_config --bindir` or ' +
        `${DEBIAN_ROOT}/*/bin): run \`make test\` (the toolchain bootstrap installs it) ` +
        'or set DRIFT_POSTGRES_BIN to its bindir',
    );
  }
  if (!hasServer(bindir)) {
    throw new Error(
      `DRIFT_POSTGRES_BIN=${bindir} holds no initdb and postgres: point it at PostgreSQL's bindir ` +
        'or unset it (`make test` installs PostgreSQL)',
    );
  }
  return bindir;
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Whom the server runs as: initdb and postgres refuse to run as root, so
 * root (here and in CI) runs them as Debian's `postgres` system user;
 * anyone else runs them as themselves (undefined: no switch).
 */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let entry: string;
  try {
    entry = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' });
  } catch {
    throw new Error(
      'running as root, and there is no `postgres` system user to run PostgreSQL as ' +
        "(Debian's postgresql package creates it: `make test` installs it)",
    );
  }
  const [, , uid, gid] = entry.trim().split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A parent for the cluster's temp dir that the server's user can reach:
 * TMPDIR may sit under root's 0700 home, where `postgres` could not enter.
 */
function tempParent(owner: Owner | undefined): string {
  const preferred = tmpdir();
  if (owner === undefined) return preferred;
  for (let dir = preferred; ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return '/tmp';
    if (dir === path.dirname(dir)) return preferred;
  }
}

/** The server's environment: no PG* variable of ours (PGDATA, PGPORT…) may steer it. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LC_ALL: 'C' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PG') && !key.startsWith('LC_')) env[key] = value;
  }
  return env;
}

/** The end of some output as one line, for an error message. */
function oneLine(text: string): string {
  return text.trim().slice(-1000).split(/\r?\n/).join(' | ') || '(nothing)';
}

async function initdb(bindir: string, dataDir: string, cwd: string, owner: Owner | undefined) {
  const child = spawn(
    path.join(bindir, 'initdb'),
    ['-D', dataDir, '-A', 'trust', '-U', SUPERUSER, '--no-sync', '-E', 'UTF8', '--locale=C'],
    // cwd: initdb resolves its own path from the working directory, which `postgres` may not enter.
    { ...owner, cwd, env: serverEnv(), stdio: ['ignore', 'ignore', 'pipe'], timeout: WAIT_MS },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = `${stderr}${chunk.toString()}`));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) {
    const how = signal ? `was ended by ${signal} (bounded at ${WAIT_MS} ms)` : `exited ${code}`;
    throw new Error(`initdb ${how}: ${oneLine(stderr)}`);
  }
}

/**
 * setpriv (util-linux, on every Debian) asks the kernel to SIGKILL the server
 * when the process that started it dies, however it dies: the 'exit' hook
 * below cannot run on SIGKILL or an unhandled SIGTERM. It then execs
 * postgres, so the child's pid is the postmaster's.
 */
function withParentDeathSignal(command: string, args: readonly string[]): [string, string[]] {
  const setpriv = '/usr/bin/setpriv';
  if (process.platform !== 'linux' || !existsSync(setpriv)) return [command, [...args]];
  return [setpriv, ['--pdeathsig', 'SIGKILL', '--', command, ...args]];
}

interface Running {
  readonly child: ChildProcess;
  readonly dir: string;
}

/** Servers still running, which the process's exit hook kills: no postgres outlives its test process. */
const running = new Set<Running>();
let exitHookInstalled = false;

function killOnExit(server: Running): void {
  running.add(server);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const { child, dir } of running) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // Its background processes may still write a moment; retry, and never throw at exit.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's, but there
  }
}

async function pidIn(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return Number(text.split('\n')[0]) || 0;
}

/**
 * Removes the clusters of test processes that died without stop(): the
 * SIGTERM Vitest ends its workers with, like SIGKILL, runs no exit hook.
 * Their servers are gone already (withParentDeathSignal); their 40 MB of
 * files would stay in the temp dir.
 */
async function sweepLeftBehind(parent: string): Promise<void> {
  const names = (await readdir(parent)).filter((name) => name.startsWith(DIR_PREFIX));
  await Promise.all(
    names.map(async (name) => {
      const dir = path.join(parent, name);
      const owner = await pidIn(path.join(dir, OWNER_FILE));
      // No owner file: another process is creating it, or it is not ours to read.
      if (owner === 0 || alive(owner)) return;
      const postmaster = await pidIn(path.join(dir, 'data', 'postmaster.pid'));
      if (postmaster !== 0 && alive(postmaster)) return;
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }),
  );
}

/**
 * Whether the server answers a query, asked over its own Unix socket: that
 * socket is this server's for sure (a stranger listening on the port is not
 * mistaken for it), and postgres binds its TCP port before it.
 */
async function accepts(socketDir: string, port: number): Promise<boolean> {
  const client = new pg.Client({
    host: socketDir,
    port,
    user: SUPERUSER,
    database: 'postgres',
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false; // not listening, or still starting up ("the database system is starting up")
  } finally {
    await client.end().catch(() => undefined);
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Thrown when the port was taken between freePort() and the server's bind: worth another port. */
class PortTakenError extends Error {}

async function launch(
  bindir: string,
  dir: string,
  port: number,
  owner: Owner | undefined,
): Promise<Running> {
  const [command, args] = withParentDeathSignal(path.join(bindir, 'postgres'), [
    '-D',
    path.join(dir, 'data'),
    '-k',
    dir,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    // A throwaway cluster: durability only costs time.
    ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ...['-c', 'max_connections=200', '-c', 'shared_buffers=32MB'],
  ]);
  const child = spawn(command, args, {
    ...owner,
    cwd: dir,
    env: serverEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const server = { child, dir };
  killOnExit(server);
  let stderr = '';
  // Read it all along: a full pipe would block the server's logging.
  child.stderr?.on(
    'data',
    (chunk: Buffer) => (stderr = `${stderr}${chunk.toString()}`.slice(-STDERR_TAIL)),
  );
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  try {
    await waitFor(
      `PostgreSQL on 127.0.0.1:${port}`,
      async () => {
        if (spawnError) throw spawnError;
        if (exited(child)) {
          const message = `postgres on 127.0.0.1:${port} exited (${child.exitCode ?? child.signalCode}) before it accepted connections: ${oneLine(stderr)}`;
          throw /could not bind|Address already in use/.test(stderr)
            ? new PortTakenError(message)
            : new Error(message);
        }
        return (await accepts(dir, port)) ? true : undefined;
      },
      WAIT_MS,
      100,
    );
  } catch (error) {
    await end(child, 'SIGKILL');
    running.delete(server);
    if (error instanceof PortTakenError || spawnError) throw error;
    if ((error as Error).message.startsWith('timed out')) {
      throw new Error(
        `PostgreSQL did not accept connections on 127.0.0.1:${port} within ${WAIT_MS} ms: ${oneLine(stderr)}`,
        { cause: error },
      );
    }
    throw error;
  }
  // A test process that forgets stop() still ends (its exit hook then kills the server):
  // neither the child nor the pipe of its stderr holds the event loop open.
  child.unref();
  (child.stderr as Socket | null)?.unref();
  return server;
}

/** Signals the server, waits (bounded) for it to end, SIGKILLs it if it did not. */
async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (exited(child)) return;
  const done = once(child, 'exit');
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>(
    (resolve) => (timer = setTimeout(() => resolve('late'), WAIT_MS)),
  );
  const outcome = await Promise.race([done, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    child.kill('SIGKILL');
    await done;
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
let databases = 0;

/** Runs `use` with a client connected to `url`, ended afterwards whatever happens. */
export async function withPostgresClient<T>(
  url: string,
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Starts a private PostgreSQL: initdb into a fresh temp dir (trust
 * authentication, superuser `drift`), then `postgres` on a free loopback port
 * (or `options.port`) with its socket in that dir, tuned for tests (no fsync).
 * Resolves once it accepts connections. As root it runs as the `postgres`
 * system user.
 */
export async function startPostgres(options: { port?: number } = {}): Promise<PostgresServer> {
  const bindir = bindirOrThrow();
  const owner = serverOwner();
  const parent = tempParent(owner);
  await sweepLeftBehind(parent);
  const dir = await mkdtemp(path.join(parent, DIR_PREFIX));
  let started: { server: Running; port: number } | undefined;
  try {
    await writeFile(path.join(dir, OWNER_FILE), `${process.pid}\n`);
    if (owner) await chown(dir, owner.uid, owner.gid);
    await initdb(bindir, path.join(dir, 'data'), dir, owner);
    // Another process may take a free port before postgres binds it: then try another.
    for (let attempt = 1; started === undefined; attempt++) {
      const port = options.port ?? (await freePort());
      try {
        started = { server: await launch(bindir, dir, port, owner), port };
      } catch (error) {
        if (!(error instanceof PortTakenError) || options.port !== undefined || attempt === 3) {
          throw error;
        }
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    throw error;
  }
  const { server, port } = started;
  const urlOf = (database: string) => `postgresql://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  const shutdown = async (signal: NodeJS.Signals) => {
    await end(server.child, signal);
    running.delete(server);
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  };
  return {
    url: urlOf('postgres'),
    port,
    socketDir: dir,
    async createDatabase(name) {
      const database = name ?? `drift_test_${++databases}`;
      if (!IDENTIFIER.test(database)) {
        throw new Error(`${JSON.stringify(database)} is not a plain lower-case database name`);
      }
      await withPostgresClient(urlOf('postgres'), (client) =>
        client.query(`CREATE DATABASE "${database}"`),
      );
      return urlOf(database);
    },
    stop: () => shutdown('SIGINT'),
    kill: () => shutdown('SIGKILL'),
  };
}
