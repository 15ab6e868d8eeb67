import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findPostgresBinaries,
  newestPostgresVersion,
  startPostgres,
  withPostgresClient,
  type PostgresServer,
} from './postgres-server.js';

/** The real uid of a process, from /proc. */
function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}

describe('newestPostgresVersion', () => {
  it('picks the highest version by number, ignoring other entries', () => {
    expect(newestPostgresVersion(['9.6', '15', '10', 'common', '16'])).toBe('16');
    expect(newestPostgresVersion(['9.6', '9.5'])).toBe('9.6');
    expect(newestPostgresVersion(['9.6', '10'])).toBe('10');
    expect(newestPostgresVersion(['README'])).toBeUndefined();
  });
});

describe('startPostgres', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('finds an installed server', () => {
    const bindir = findPostgresBinaries();
    expect(bindir).toBeDefined();
    expect(existsSync(`${bindir}/initdb`)).toBe(true);
  });

  it('serves the maintenance database on a loopback port and a private socket', async () => {
    expect(server.url).toBe(`postgresql://drift@127.0.0.1:${server.port}/postgres`);
    expect(existsSync(`${server.socketDir}/.s.PGSQL.${server.port}`)).toBe(true);
    const over = await withPostgresClient(server.url, async (client) => {
      const { rows } = await client.query<{ user: string; db: string }>(
        'SELECT current_user AS user, current_database() AS db',
      );
      return rows[0];
    });
    expect(over).toEqual({ user: 'drift', db: 'postgres' });
    // The same server over its Unix socket.
    const socket = new pg.Client({
      host: server.socketDir,
      port: server.port,
      user: 'drift',
      database: 'postgres',
    });
    await socket.connect();
    try {
      expect((await socket.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await socket.end();
    }
  });

  it('creates distinct databases that keep their data across connections', async () => {
    const first = await server.createDatabase();
    const second = await server.createDatabase();
    const named = await server.createDatabase('drift_named');
    expect(new Set([first, second, named]).size).toBe(3);
    expect(named).toBe(`postgresql://drift@127.0.0.1:${server.port}/drift_named`);

    await withPostgresClient(first, async (client) => {
      await client.query('CREATE TABLE findings (id text PRIMARY KEY)');
      await client.query("INSERT INTO findings VALUES ('f-1'), ('f-2')");
    });
    // A new connection to the same database reads what the first wrote.
    const ids = await withPostgresClient(first, async (client) => {
      const { rows } = await client.query<{ id: string }>('SELECT id FROM findings ORDER BY id');
      return rows.map((row) => row.id);
    });
    expect(ids).toEqual(['f-1', 'f-2']);
    // The other database is empty: no table of the first leaks into it.
    const tables = await withPostgresClient(second, async (client) => {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'findings'",
      );
      return rows[0]?.n;
    });
    expect(tables).toBe('0');
  });

  it('refuses a database name it would have to quote', async () => {
    await expect(server.createDatabase('x"; DROP DATABASE postgres; --')).rejects.toThrow(
      /not a plain lower-case database name/,
    );
  });

  it('runs the server as a non-root user (the postgres system user when we are root)', async () => {
    // The backend serving this connection is a child of the server, with its uid: read it while open.
    const { backendUid, dataDir } = await withPostgresClient(server.url, async (client) => {
      const { rows } = await client.query<{ pid: number; dataDir: string }>(
        `SELECT pg_backend_pid() AS pid, current_setting('data_directory') AS "dataDir"`,
      );
      return { backendUid: uidOf(rows[0]!.pid), dataDir: rows[0]!.dataDir };
    });
    const expected =
      process.getuid!() === 0
        ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
        : process.getuid!();
    expect(expected).not.toBe(0);
    expect(backendUid).toBe(expected);
    expect(statSync(dataDir).uid).toBe(expected);
  });
});

describe('PostgresServer.stop', () => {
  it('ends the server and removes its cluster', async () => {
    const server = await startPostgres();
    const dataDir = await withPostgresClient(server.url, async (client) => {
      const { rows } = await client.query<{ dir: string }>(
        "SELECT current_setting('data_directory') AS dir",
      );
      return rows[0]!.dir;
    });
    await server.stop();
    await expect(withPostgresClient(server.url, async () => undefined)).rejects.toThrow(
      /ECONNREFUSED/,
    );
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(server.socketDir)).toBe(false);
    await server.stop(); // a second stop is a no-op
  }, 60_000);

  it('kill() ends it at once, as a crash would', async () => {
    const server = await startPostgres();
    await server.kill();
    await expect(withPostgresClient(server.url, async () => undefined)).rejects.toThrow(
      /ECONNREFUSED/,
    );
    expect(existsSync(server.socketDir)).toBe(false);
  }, 60_000);
});

describe('startPostgres failing', () => {
  it('says in one line why the server did not start, with its own words', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      const failure = startPostgres({ port });
      await expect(failure).rejects.toThrow(
        new RegExp(
          `^postgres on 127\\.0\\.0\\.1:${port} exited \\(1\\) before it accepted connections: [^\\n]*could not bind`,
        ),
      );
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('names the variable when DRIFT_POSTGRES_BIN holds no server', async () => {
    const saved = process.env['DRIFT_POSTGRES_BIN'];
    process.env['DRIFT_POSTGRES_BIN'] = '/nonexistent/bin';
    try {
      await expect(startPostgres()).rejects.toThrow(
        /DRIFT_POSTGRES_BIN=\/nonexistent\/bin holds no initdb and postgres.*`make test` installs PostgreSQL/,
      );
    } finally {
      if (saved === undefined) delete process.env['DRIFT_POSTGRES_BIN'];
      else process.env['DRIFT_POSTGRES_BIN'] = saved;
    }
  });
});
