// The scan's JSON report, byte for byte, as it was before the report moved to
// disk (sorted runs merged back): on the samples of the three clouds, with and
// without a state, and on a 100,023-resource AWS Config snapshot whose
// findings spill into many runs. A deliberate change of the output updates
// the golden files (and the digest) in the same commit that makes it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeEstate } from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, cli, securityGroupItems, workspaceRoot } from './cli-process.js';

const NOW = '2026-11-30T12:00:00.000Z';
const samples = ['aws', 'azure', 'gcp'].flatMap((cloud) => [
  '--input',
  path.join(workspaceRoot, 'samples', cloud),
]);
const golden = (name: string) => path.join(import.meta.dirname, 'golden', name);

/** The CLI's stdout digested as it comes (a large report is never held), and its exit code. */
function scanDigest(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; sha256: string; stderr: string; findings: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'scan', '--format', 'json', ...args], {
      env: { ...process.env, DRIFT_NOW: NOW, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const hash = createHash('sha256');
    let stderr = '';
    let findings = 0;
    // Each finding of the report has one "ruleId" key; the tail of a chunk may hold part of one.
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      const text = tail + chunk.toString('latin1');
      findings += text.split('"ruleId":').length - 1;
      tail = text.slice(-8);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? 1, sha256: hash.digest('hex'), stderr, findings }),
    );
  });
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'drift-stability-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the JSON report, byte for byte', () => {
  it('is the golden one for the samples of the three clouds', async () => {
    const run = await scanDigest(samples);
    expect(run.code, run.stderr).toBe(0);
    expect(run.sha256).toBe(await sha256(golden('samples.json')));
  });

  it('is the golden one for the samples reconciled with a fresh state', async () => {
    const run = await scanDigest([...samples, '--state', path.join(dir, 'state.db')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.sha256).toBe(await sha256(golden('samples-state.json')));
  });

  it('is the one of before for a 100,023-resource AWS Config snapshot, about half violating', async () => {
    const estate = await writeEstate('aws', path.join(dir, 'snapshot.json'), {
      resources: 100_000,
      mix: 'mixed',
      violating: new Set(),
    });
    expect(estate.records).toBe(100_023);
    // On a pool of two evaluation threads: the order of the report is not theirs to change.
    const run = await scanDigest(['--threads', '2', '--input', estate.file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.sha256).toBe('77dd63ef2bf38a2f8a67a328b6f84476ad42128b9a685402f83b0da1f8f2def5');
  }, 240_000);

  it('is the same on one thread and on three, skipped lines and a history included', async () => {
    // 6,000 records: past the 2,000 judged before the pool starts. Every 700th line is
    // broken, and every 900th is an earlier group again, closed, with the same capture
    // time: of two states with one time the one read last decides, so the judgements
    // must come back in the order the records were read.
    const items = await securityGroupItems(6_000);
    const lines = items.map((item, i) => {
      if (i % 700 === 699) return '{"configurationItems": [';
      if (i % 900 === 899) {
        const earlier = items[i - 850] as Record<string, unknown>;
        return JSON.stringify({
          ...earlier,
          configuration: { ...(earlier['configuration'] as object), ipPermissions: [] },
        });
      }
      return JSON.stringify(item);
    });
    const file = path.join(dir, 'mixed.ndjson');
    await writeFile(file, `${lines.join('\n')}\n`);
    const one = await scanDigest(['--threads', '1', '--input', file]);
    const three = await scanDigest(['--threads', '3', '--input', file]);
    expect(one.code, one.stderr).toBe(0);
    expect(three).toEqual(one);
  }, 120_000);

  // A streamed record that needs no context (all but buckets; all but accounts, servers and
  // containers) is normalized and judged as the first pass surveys it, and not read again:
  // the report must be the one of the same document parsed whole, where nothing is early.
  it.each(['aws', 'azure'] as const)(
    'is the same for a %s estate streamed (most records judged in the first pass) and read whole',
    async (cloud) => {
      const estate = await writeEstate(cloud, path.join(dir, `${cloud}-early.json`), {
        resources: 3_000,
        mix: 'mixed',
        violating: new Set(),
      });
      const whole = await scanDigest(['--threads', '1', '--input', estate.file]);
      expect(whole.code, whole.stderr).toBe(0);
      expect(whole.findings).toBeGreaterThan(estate.records / 4);
      for (const threads of ['1', '3']) {
        const streamed = await scanDigest(['--threads', threads, '--input', estate.file], {
          DRIFT_STREAM_THRESHOLD_BYTES: '4096',
        });
        expect(streamed, `${threads} thread(s)`).toEqual(whole);
      }
    },
    120_000,
  );

  // Of two states of one resource with one time, the one read last decides, across inputs
  // too: a streamed input's records are then not judged in the first pass, where they would
  // be kept before the records of the inputs before it.
  it.each([
    ['the streamed one second', false],
    ['the streamed one first', true],
  ])(
    'keeps the state read last of two inputs, %s',
    async (_order, streamedFirst) => {
      const [open, ...others] = await securityGroupItems(200);
      const closed = {
        ...open,
        configuration: { ...(open?.['configuration'] as object), ipPermissions: [] },
      };
      // A snapshot streamed record by record that closes sg-0, and a small file that opens it.
      const streamed = path.join(dir, 'closes.json');
      await writeFile(streamed, JSON.stringify({ configurationItems: [closed, ...others] }));
      const small = path.join(dir, 'opens.json');
      await writeFile(small, JSON.stringify([open]));
      const inputs = streamedFirst ? [streamed, small] : [small, streamed];
      const run = await cli(
        ['scan', '--format', 'json', '--threads', '2', ...inputs.flatMap((f) => ['--input', f])],
        { env: { DRIFT_NOW: NOW, DRIFT_STREAM_THRESHOLD_BYTES: '4096' } },
      );
      expect(run.code, run.stderr).toBe(0);
      const { findings } = JSON.parse(run.stdout) as { findings: { resourceId: string }[] };
      const sg0 = findings.filter((f) => f.resourceId.endsWith('security-group/sg-0'));
      expect(sg0.length > 0).toBe(streamedFirst);
      expect(findings.length).toBeGreaterThan(100);
    },
    60_000,
  );

  // One streamed array may hold records of two clouds, each placed on its own. GCP's are
  // normalized on this thread, so the whole input is read here in the second pass: the AWS
  // records judged in the first must not be judged again, nor left out.
  it('judges each record of a streamed array of two clouds once', async () => {
    const aws = await writeEstate('aws', path.join(dir, 'two-aws.json'), {
      resources: 400,
      mix: 'mixed',
      violating: new Set(),
    });
    const gcp = await writeEstate('gcp', path.join(dir, 'two-gcp.ndjson'), {
      resources: 400,
      mix: 'mixed',
      violating: new Set(),
    });
    const items = (
      JSON.parse(await readFile(aws.file, 'utf8')) as { configurationItems: unknown[] }
    ).configurationItems;
    const assets = (await readFile(gcp.file, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
    const both = path.join(dir, 'two-clouds.json');
    await writeFile(both, JSON.stringify([...items, ...assets]));
    const report = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const run = await cli(['scan', '--format', 'json', ...args], {
        env: { DRIFT_NOW: NOW, ...env },
      });
      expect(run.code, run.stderr).toBe(0);
      const { findings, summary } = JSON.parse(run.stdout) as {
        findings: { id: string }[];
        summary: { evaluated: number };
      };
      return { ids: findings.map((f) => f.id).sort(), evaluated: summary.evaluated };
    };
    const apart = [await report(['--input', aws.file]), await report(['--input', gcp.file])];
    const together = await report(['--threads', '3', '--input', both], {
      DRIFT_STREAM_THRESHOLD_BYTES: '4096',
    });
    expect(together.evaluated).toBe(apart[0]!.evaluated + apart[1]!.evaluated);
    expect(together.ids).toEqual([...apart[0]!.ids, ...apart[1]!.ids].sort());
    expect(apart[0]!.ids.length).toBeGreaterThan(0);
  }, 120_000);

  // Azure records are normalized on the threads (from a copy of the first pass's facts: the
  // blob services and SQL firewall rules that are context only); GCP's are normalized here,
  // where its IAM_POLICY records are marked used, and judged on the threads.
  it.each([
    ['azure', 'streamed'],
    ['azure', 'read whole'],
    ['gcp', 'streamed'],
  ] as const)(
    'is the same on one thread and on three for a %s estate %s',
    async (cloud, reading) => {
      const estate = await writeEstate(cloud, path.join(dir, `${cloud}-estate.json`), {
        resources: 6_000,
        mix: 'mixed',
        violating: new Set(),
      });
      // Streamed record by record, as a large export is; or parsed whole (under 16 MiB).
      const env = reading === 'streamed' ? { DRIFT_STREAM_THRESHOLD_BYTES: '4096' } : {};
      const one = await scanDigest(['--threads', '1', '--input', estate.file], env);
      const three = await scanDigest(['--threads', '3', '--input', estate.file], env);
      expect(one.code, one.stderr).toBe(0);
      expect(one.findings).toBeGreaterThan(estate.records / 4);
      expect(three).toEqual(one);
    },
    120_000,
  );
});
