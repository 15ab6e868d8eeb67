import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { run, ToolError, type RunResult } from '../process.js';

/** Where Debian installs each PostgreSQL major version: /usr/lib/postgresql/<version>/bin. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

const NOT_INSTALLED =
  'PostgreSQL is not installed and only root can install it: the tests start their own server ' +
  "from Debian's postgresql package (sudo apt-get install postgresql), " +
  'or set DRIFT_POSTGRES_BIN to a bindir holding initdb and postgres';

export interface EnsuredPostgres {
  /** The directory holding initdb and postgres. */
  readonly bindir: string;
  /** As `postgres --version` reports it: 15.18. */
  readonly version: string;
  /** True when this call had to install it. */
  readonly installed: boolean;
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

/** The version in `postgres --version`: "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)". */
export function postgresVersionOf(output: string): string | undefined {
  return /\(PostgreSQL\)\s+(\d+(?:\.\d+)*)/.exec(output)?.[1];
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
 * The bindir the tests will use, found the way libs/testing's
 * findPostgresBinaries finds it (DRIFT_POSTGRES_BIN, `pg_config --bindir`
 * when it holds the server, the newest /usr/lib/postgresql/<v>/bin). A copy,
 * not an import: the bootstrap runs before any build, and tsx would load
 * @drift-detective/testing from its dist/ (postgres.spec.ts checks the two agree).
 */
export function findPostgresBindir(): string | undefined {
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

/** What ensurePostgres does to the machine: the real one by default, fakes in its spec. */
export interface PostgresHost {
  find(): string | undefined;
  isRoot(): boolean;
  run(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<RunResult>;
}

const realHost: PostgresHost = {
  find: findPostgresBindir,
  isRoot: () => process.getuid?.() === 0,
  run: (command, args, env) => run(command, args, env ? { env } : {}),
};

/**
 * apt-get with no question to wait for: stdin is closed (run() ignores it),
 * debconf asks nothing, dpkg keeps any existing configuration file, and a
 * held dpkg lock (unattended upgrades) is waited for, bounded.
 */
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const APT_OPTIONS = [
  '-o',
  'DPkg::Lock::Timeout=120',
  '-o',
  'Dpkg::Options::=--force-confdef',
  '-o',
  'Dpkg::Options::=--force-confold',
];
const INSTALL = [...APT_OPTIONS, 'install', '-y', '--no-install-recommends', 'postgresql'] as const;

function tail(result: RunResult): string {
  return `${result.stderr}${result.stdout}`.trim().split('\n').slice(-15).join('\n');
}

/**
 * Installs Debian's postgresql package: without `apt-get update` first (a
 * machine whose package lists are current needs none), then with it when that
 * failed. Its postinst may create and start a cluster "main" on 5432: the
 * tests never use it (each starts its own on a free port).
 */
async function aptInstall(host: PostgresHost, log: (line: string) => void): Promise<void> {
  log('installing PostgreSQL with apt-get (first run only)…');
  let install: RunResult;
  try {
    install = await host.run('apt-get', INSTALL, APT_ENV);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolError(`no apt-get on this machine: ${NOT_INSTALLED}`);
    }
    throw error;
  }
  if (install.code === 0) return;
  log('apt-get install postgresql failed; updating the package lists and trying again…');
  const update = await host.run('apt-get', [...APT_OPTIONS, 'update'], APT_ENV);
  if (update.code !== 0) {
    throw new ToolError(`apt-get update failed (exit ${update.code}):\n${tail(update)}`);
  }
  install = await host.run('apt-get', INSTALL, APT_ENV);
  if (install.code !== 0) {
    throw new ToolError(
      `apt-get install postgresql failed (exit ${install.code}):\n${tail(install)}`,
    );
  }
}

/**
 * Returns the PostgreSQL the tests start (libs/testing startPostgres):
 * the one installed, else, when we are root (here and in CI), Debian's
 * postgresql package installed with apt-get. Anyone else is told what to install.
 */
export async function ensurePostgres(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  host: PostgresHost = realHost,
): Promise<EnsuredPostgres> {
  const override = process.env['DRIFT_POSTGRES_BIN'];
  if (override && !hasServer(override)) {
    throw new ToolError(`DRIFT_POSTGRES_BIN=${override} holds no initdb and postgres`);
  }
  let bindir = host.find();
  let installed = false;
  if (bindir === undefined) {
    if (!host.isRoot()) throw new ToolError(NOT_INSTALLED);
    await aptInstall(host, log);
    installed = true;
    bindir = host.find();
    if (bindir === undefined) {
      throw new ToolError(
        `apt-get installed postgresql, but no initdb turned up in ${DEBIAN_ROOT}/*/bin`,
      );
    }
  }
  const answer = await host.run(path.join(bindir, 'postgres'), ['--version']);
  const version = postgresVersionOf(answer.stdout);
  if (answer.code !== 0 || version === undefined) {
    throw new ToolError(
      `${path.join(bindir, 'postgres')} --version answered ${JSON.stringify(answer.stdout.trim())}`,
    );
  }
  return { bindir, version, installed };
}
