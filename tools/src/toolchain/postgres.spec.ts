import { afterEach, describe, expect, it } from 'vitest';
// tools → testing closes a loop in the project graph only through build-order edges, not
// through any code import (as in src/standins/main.ts).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { findPostgresBinaries } from '@drift-detective/testing';
import { ToolError, type RunResult } from '../process.js';
import {
  ensurePostgres,
  findPostgresBindir,
  newestPostgresVersion,
  postgresVersionOf,
  type PostgresHost,
} from './postgres.js';

const VERSION_LINE = 'postgres (PostgreSQL) 16.4 (Debian 16.4-1.pgdg120+1)\n';

interface Call {
  readonly command: string;
  readonly args: readonly string[];
  readonly frontend: string | undefined;
}

/**
 * A machine without PostgreSQL (unless `installedAtFirst`) until apt-get
 * installs it: `apt` holds the exit codes of its apt-get runs in turn
 * (install, update, install…), 0 once they run out.
 */
function fakeHost(options: {
  root: boolean;
  installedAtFirst?: boolean;
  apt?: number[];
  aptInstalls?: boolean;
}) {
  const calls: Call[] = [];
  let installed = options.installedAtFirst ?? false;
  const apt = [...(options.apt ?? [0])];
  const host: PostgresHost = {
    find: () => (installed ? '/usr/lib/postgresql/16/bin' : undefined),
    isRoot: () => options.root,
    async run(command, args, env): Promise<RunResult> {
      calls.push({ command, args, frontend: env?.['DEBIAN_FRONTEND'] });
      if (command.endsWith('/postgres')) return { code: 0, stdout: VERSION_LINE, stderr: '' };
      const code = apt.shift() ?? 0;
      if (code === 0 && args.includes('install') && options.aptInstalls !== false) {
        installed = true;
      }
      return { code, stdout: '', stderr: code === 0 ? '' : 'E: Unable to locate package' };
    },
  };
  const aptCalls = () => calls.filter((call) => call.command === 'apt-get');
  return { host, calls, aptCalls };
}

const quiet = () => undefined;
const verb = (call: Call) => (call.args.includes('update') ? 'update' : 'install');

describe('newestPostgresVersion', () => {
  it('picks the highest version by number, not by name', () => {
    expect(newestPostgresVersion(['9.6', '15', '10', '16'])).toBe('16');
    expect(newestPostgresVersion(['9.6', '10'])).toBe('10');
    expect(newestPostgresVersion(['9.5', '9.6'])).toBe('9.6');
  });

  it('ignores what is not a version directory, and may find none', () => {
    expect(newestPostgresVersion(['common', '15', 'README'])).toBe('15');
    expect(newestPostgresVersion(['common'])).toBeUndefined();
    expect(newestPostgresVersion([])).toBeUndefined();
  });
});

describe('postgresVersionOf', () => {
  it('reads the version from `postgres --version`', () => {
    expect(postgresVersionOf(VERSION_LINE)).toBe('16.4');
    expect(postgresVersionOf('postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toBe('15.18');
    expect(postgresVersionOf('command not found')).toBeUndefined();
  });
});

describe('ensurePostgres', () => {
  const saved = process.env['DRIFT_POSTGRES_BIN'];
  afterEach(() => {
    if (saved === undefined) delete process.env['DRIFT_POSTGRES_BIN'];
    else process.env['DRIFT_POSTGRES_BIN'] = saved;
  });

  it('uses an installed server and installs nothing', async () => {
    const { host, aptCalls } = fakeHost({ root: true, installedAtFirst: true });
    await expect(ensurePostgres(quiet, host)).resolves.toEqual({
      bindir: '/usr/lib/postgresql/16/bin',
      version: '16.4',
      installed: false,
    });
    expect(aptCalls()).toEqual([]);
  });

  it('tells a non-root user what to install, in one line, and runs no apt-get', async () => {
    const { host, aptCalls } = fakeHost({ root: false });
    const failure = ensurePostgres(quiet, host);
    await expect(failure).rejects.toThrow(ToolError);
    await expect(failure).rejects.toThrow(/^[^\n]*apt-get install postgresql[^\n]*$/);
    expect(aptCalls()).toEqual([]);
  });

  it('as root installs the package non-interactively, without apt-get update when not needed', async () => {
    const { host, aptCalls } = fakeHost({ root: true });
    await expect(ensurePostgres(quiet, host)).resolves.toMatchObject({
      version: '16.4',
      installed: true,
    });
    expect(aptCalls()).toHaveLength(1);
    const [install] = aptCalls();
    expect(install!.frontend).toBe('noninteractive');
    expect(install!.args).toEqual(
      expect.arrayContaining(['install', '-y', '--no-install-recommends', 'postgresql']),
    );
  });

  it('runs apt-get update and installs again when the first install fails', async () => {
    const { host, aptCalls } = fakeHost({ root: true, apt: [100, 0, 0] });
    await expect(ensurePostgres(quiet, host)).resolves.toMatchObject({ installed: true });
    expect(aptCalls().map(verb)).toEqual(['install', 'update', 'install']);
  });

  it('reports apt-get failing even after an update', async () => {
    const { host } = fakeHost({ root: true, apt: [100, 0, 100] });
    await expect(ensurePostgres(quiet, host)).rejects.toThrow(
      /apt-get install postgresql failed \(exit 100\):\nE: Unable to locate package/,
    );
  });

  it('reports an install that left no server behind', async () => {
    const { host } = fakeHost({ root: true, aptInstalls: false });
    await expect(ensurePostgres(quiet, host)).rejects.toThrow(/no initdb turned up/);
  });

  it('refuses a DRIFT_POSTGRES_BIN that holds no server', async () => {
    process.env['DRIFT_POSTGRES_BIN'] = '/nonexistent/bin';
    const { host, aptCalls } = fakeHost({ root: true });
    await expect(ensurePostgres(quiet, host)).rejects.toThrow(
      'DRIFT_POSTGRES_BIN=/nonexistent/bin holds no initdb and postgres',
    );
    expect(aptCalls()).toEqual([]);
  });
});

describe('findPostgresBindir', () => {
  it('finds the server the tests will start (libs/testing looks in the same places)', () => {
    expect(findPostgresBindir()).toBe(findPostgresBinaries());
  });
});
