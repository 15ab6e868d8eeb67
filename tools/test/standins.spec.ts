// The stand-in command: one JSON line when ready, an env that is all another
// process needs, a clean stop on SIGTERM/SIGINT, and one-line errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/paths.js';
import { run } from '../src/process.js';

const main = path.join(workspaceRoot, 'tools', 'src', 'standins', 'main.ts');
const seed = path.join(workspaceRoot, 'samples', 'azure', 'resource-graph-answer.json');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const scratch = mkdtempSync(path.join(tmpdir(), 'standins-spec-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ready {
  readonly endpoint: string;
  readonly env: Record<string, string>;
}

interface Running {
  readonly child: ChildProcess;
  readonly ready: Promise<Ready>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

function start(command: string, args: readonly string[], detached: boolean): Running {
  const child = spawn(command, args, {
    cwd: workspaceRoot,
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<Ready>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as Ready);
    });
    void exited.then(() => reject(new Error(`the tool exited before it was ready: ${err}`)));
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return { child, ready, exited, stdout: () => out, stderr: () => err };
}

/** A separate process that knows the stand-in only through the printed env. */
const CLIENT = `
import { DefaultAzureCredential } from '@azure/identity';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
const client = new ResourceGraphClient(new DefaultAzureCredential(), { endpoint: process.env.DRIFT_AZURE_RESOURCE_MANAGER_ENDPOINT });
const answer = await client.resources({ subscriptions: process.env.DRIFT_AZURE_SUBSCRIPTIONS.split(','), query: 'resources' });
process.stdout.write(String(answer.totalRecords));
`;

async function groupGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i += 1) {
    try {
      process.kill(-pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** The tool, started on a seed, exits 0 on the signal once ready. */
async function expectCleanExit(
  cloud: 'azure' | 'gcp',
  seedFile: string,
  signal: NodeJS.Signals,
): Promise<void> {
  const tool = start(
    process.execPath,
    [tsxCli, '--conditions=development', main, cloud, '--seed', seedFile],
    false,
  );
  await tool.ready;
  tool.child.kill(signal);
  expect(await tool.exited).toEqual({ code: 0, signal: null });
}

/** A seed file holding `text` is refused with exit 1 and one line naming the file and `problem`. */
async function expectSeedRefused(
  cloud: 'azure' | 'gcp',
  name: string,
  text: string,
  problem: string,
): Promise<void> {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  const result = await run(
    'npx',
    ['tsx', '--conditions=development', main, cloud, '--seed', file],
    {
      cwd: workspaceRoot,
    },
  );
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toEqual([
    expect.stringContaining(`${file}: ${problem}`),
  ]);
}

describe('tools/src/standins/main.ts azure', () => {
  it('prints one JSON line with endpoint and env, serves a process given only that env, and stops on SIGTERM', async () => {
    // Its own process group: npx runs tsx through a shell, which would not pass a signal on.
    const tool = start(
      'npx',
      ['tsx', '--conditions=development', main, 'azure', '--seed', seed],
      true,
    );
    try {
      const ready = await tool.ready;
      expect(ready.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(Object.keys(ready.env).sort()).toEqual(
        [
          'AZURE_TOKEN_CREDENTIALS',
          'DRIFT_AZURE_RESOURCE_MANAGER_AUDIENCE',
          'DRIFT_AZURE_RESOURCE_MANAGER_ENDPOINT',
          'DRIFT_AZURE_SUBSCRIPTIONS',
          'IDENTITY_ENDPOINT',
          'IDENTITY_HEADER',
          'NODE_EXTRA_CA_CERTS',
        ].sort(),
      );
      expect(ready.env['DRIFT_AZURE_SUBSCRIPTIONS']).toBe('00000000-1111-2222-3333-444444444444');
      const client = await run(process.execPath, ['--input-type=module', '-e', CLIENT], {
        cwd: workspaceRoot,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...ready.env },
      });
      expect(client.stderr).toBe('');
      expect(Number(client.stdout)).toBeGreaterThan(0);

      process.kill(-tool.child.pid!, 'SIGTERM');
      await tool.exited;
      expect(await groupGone(tool.child.pid!)).toBe(true);
      expect(tool.stdout().trim().split('\n')).toHaveLength(1);
      expect(tool.stderr()).toBe('');
      expect(existsSync(path.dirname(ready.env['NODE_EXTRA_CA_CERTS']!))).toBe(false);
      await expect(fetch(ready.endpoint)).rejects.toThrow();
    } finally {
      try {
        process.kill(-tool.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s', (signal) =>
    expectCleanExit('azure', seed, signal),
  );

  it.each([
    ['not JSON', '{ nope', 'the seed is not JSON'],
    ['no data', '{"rows": []}', 'the answer has no "data"'],
    ['a row without an id', '{"data": [{"type": "x"}]}', 'row 0 has no resource id'],
  ])('refuses a seed that is %s with one line naming the file, exit 1', (_, text, problem) =>
    expectSeedRefused('azure', `${problem.replace(/\W+/g, '-')}.json`, text, problem),
  );
});

const gcpSeed = path.join(workspaceRoot, 'samples', 'gcp', 'cloud-asset-export.ndjson');

interface GcpReady {
  readonly endpoint: string;
  readonly admin: string;
  readonly env: Record<string, string>;
}

/** A separate process that knows the GCP stand-in only through the printed env. */
const GCP_CLIENT = `
import { v1 } from '@google-cloud/asset';
import { credentials } from '@grpc/grpc-js';
const endpoint = process.env.DRIFT_GCP_ENDPOINT;
const at = endpoint.lastIndexOf(':');
const client = new v1.AssetServiceClient({
  apiEndpoint: endpoint.slice(0, at),
  port: Number(endpoint.slice(at + 1)),
  sslCreds: process.env.DRIFT_GCP_PLAINTEXT === 'true' ? credentials.createInsecure() : undefined,
  universeDomain: 'googleapis.com',
});
const [assets] = await client.listAssets({ parent: 'organizations/' + process.env.DRIFT_GCP_ORGANIZATION, contentType: 'RESOURCE' });
await client.close();
process.stdout.write(String(assets.length));
`;

describe('tools/src/standins/main.ts gcp', () => {
  it('prints one JSON line with endpoint, admin and env, serves a process given only that env, and stops on SIGTERM', async () => {
    const tool = start(
      'npx',
      ['tsx', '--conditions=development', main, 'gcp', '--seed', gcpSeed],
      true,
    );
    try {
      const ready = (await tool.ready) as unknown as GcpReady;
      expect(ready.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(ready.admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.env).toMatchObject({
        DRIFT_GCP_ENDPOINT: ready.endpoint,
        DRIFT_GCP_PLAINTEXT: 'true',
        DRIFT_GCP_ORGANIZATION: '671234098812',
        GOOGLE_CLOUD_PROJECT: '847203951166',
      });
      // The seed names its organization: the sweep covers all of it, no project list.
      expect(ready.env['DRIFT_GCP_PROJECTS']).toBeUndefined();
      const client = await run(process.execPath, ['--input-type=module', '-e', GCP_CLIENT], {
        cwd: workspaceRoot,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...ready.env },
      });
      expect(client.stderr).toBe('');
      expect(Number(client.stdout)).toBe(14);
      const journal = (await (await fetch(`${ready.admin}/_standin/requests`)).json()) as unknown[];
      expect(journal).toHaveLength(1);

      process.kill(-tool.child.pid!, 'SIGTERM');
      await tool.exited;
      expect(await groupGone(tool.child.pid!)).toBe(true);
      expect(tool.stdout().trim().split('\n')).toHaveLength(1);
      expect(tool.stderr()).toBe('');
      await expect(fetch(ready.admin)).rejects.toThrow();
    } finally {
      try {
        process.kill(-tool.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s', (signal) =>
    expectCleanExit('gcp', gcpSeed, signal),
  );

  it.each([
    ['not JSON', '{ nope', 'line 1 is not JSON'],
    [
      'a line without an asset type',
      '{"name":"//x/y","resource":{}}',
      'line 1 (//x/y) has no "asset_type"',
    ],
    [
      'a line with no content',
      '{"name":"//x/y","asset_type":"x/Y"}',
      'line 1 (//x/y) holds no content',
    ],
  ])('refuses a seed that is %s with one line naming the file, exit 1', (_, text, problem) =>
    expectSeedRefused('gcp', `gcp-${problem.replace(/\W+/g, '-')}.ndjson`, text, problem),
  );

  it('names a seed file it cannot read', async () => {
    const file = path.join(scratch, 'missing.ndjson');
    const result = await run(
      'npx',
      ['tsx', '--conditions=development', main, 'gcp', '--seed', file],
      {
        cwd: workspaceRoot,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toContain(`${file}: cannot read the seed: ENOENT`);
  });

  it('asks for --seed, with the usage, exit 1', async () => {
    const result = await run('npx', ['tsx', '--conditions=development', main, 'gcp'], {
      cwd: workspaceRoot,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('gcp needs --seed FILE');
    expect(result.stderr).toContain('usage: standins azure|gcp --seed FILE');
  });
});
