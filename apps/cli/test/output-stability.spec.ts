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
import { bin, securityGroupItems, workspaceRoot } from './cli-process.js';

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
    expect(run.sha256).toBe('4a4a509fd1699dcbe0b72ca365330025d37ee707b2fbbe2cadc523b778742fe4');
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
