import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cli, nativeFixture } from './cli-process.js';

interface Reported {
  id: string;
  resolution?: string;
  ruleId: string;
  status: string;
  transition: string;
  resourceId: string;
  account: string;
}

const sshOpen = nativeFixture('aws', 'dd-net-001-violating-ssh-open.json');
const bucketOpen = nativeFixture('aws', 'dd-storage-001-violating-bucket-block-off.json');

async function workdir() {
  return mkdtemp(path.join(tmpdir(), 'drift-state-'));
}

async function scanState(state: string, inputs: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await cli(
    ['scan', '--format', 'json', '--state', state, ...inputs.flatMap((i) => ['--input', i])],
    {
      env,
    },
  );
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).findings as Reported[];
}

const byRule = (findings: Reported[]) =>
  findings.map((f) => [f.ruleId, f.status, f.transition]).sort();

/** A copy of a fixture with one text replaced everywhere, written into `dir`. */
async function variant(dir: string, fixture: string, from: string, to: string): Promise<string> {
  const file = path.join(dir, `${path.basename(fixture, '.json')}-${to.replace(/\W/g, '')}.json`);
  await writeFile(file, (await readFile(fixture, 'utf8')).replaceAll(from, to));
  return file;
}

/** The SG fixture with SSH open only to a private range: the same resource, fixed. */
const sshFixed = (dir: string) => variant(dir, sshOpen, '0.0.0.0/0', '10.0.0.0/8');
/** A fixture moved to another account. */
const otherAccount = (dir: string, fixture: string) =>
  variant(dir, fixture, '123456789012', '210987654321');

describe('drift-detective scan --state', () => {
  it('opens findings once: the same input scanned twice gives no new finding', async () => {
    const state = path.join(await workdir(), 'state.db');
    const first = await scanState(state, [sshOpen, bucketOpen]);
    expect(first.map((f) => f.transition)).toEqual(first.map(() => 'new'));
    expect(first.length).toBeGreaterThanOrEqual(2);
    const second = await scanState(state, [sshOpen, bucketOpen]);
    expect(second.map((f) => f.id).sort()).toEqual(first.map((f) => f.id).sort());
    expect(new Set(second.map((f) => f.transition))).toEqual(new Set(['unchanged']));
  });

  it('resolves exactly the fixed resource, then reopens the same finding when it breaks again', async () => {
    const dir = await workdir();
    const state = path.join(dir, 'state.db');
    const opened = await scanState(state, [sshOpen, bucketOpen]);
    const sshFinding = opened.find((f) => f.ruleId === 'DD-NET-001');
    const fixed = await scanState(state, [await sshFixed(dir), bucketOpen]);
    const resolved = fixed.filter((f) => f.transition === 'resolved');
    expect(resolved.map((f) => [f.id, f.status])).toEqual([[sshFinding?.id, 'RESOLVED']]);
    expect(
      fixed
        .filter((f) => f.resourceId !== sshFinding?.resourceId)
        .every((f) => f.transition === 'unchanged'),
    ).toBe(true);
    const broken = await scanState(state, [sshOpen, bucketOpen]);
    const reopened = broken.find((f) => f.ruleId === 'DD-NET-001');
    expect(reopened).toMatchObject({
      id: sshFinding?.id,
      status: 'ACTIVE',
      transition: 'reopened',
    });
  });

  it('resolves a resource that vanished from the scanned scope as deleted, but never another account’s', async () => {
    const dir = await workdir();
    const state = path.join(dir, 'state.db');
    await scanState(state, [sshOpen, bucketOpen]);
    const other = await scanState(state, [await otherAccount(dir, bucketOpen)]);
    expect(other.every((f) => f.account === '210987654321' && f.transition === 'new')).toBe(true);
    // Only the bucket of account 123456789012 scanned: its security group (another kind) stays.
    const bucketsOnly = await scanState(state, [bucketOpen]);
    expect(bucketsOnly.filter((f) => f.transition === 'resolved')).toEqual([]);
    const list = await cli([
      'findings',
      'list',
      '--state',
      state,
      '--status',
      'ACTIVE',
      '--format',
      'json',
    ]);
    expect(JSON.parse(list.stdout).findings.length).toBe(
      other.length + (await scanState(state, [sshOpen, bucketOpen])).length,
    );
  });

  it('suppresses a waived finding until the waiver expires, then it is ACTIVE again', async () => {
    const dir = await workdir();
    const state = path.join(dir, 'state.db');
    const waivers = path.join(dir, 'waivers.yaml');
    await writeFile(
      waivers,
      [
        'waivers:',
        '  - rule: DD-NET-*',
        '    resource:',
        '      account: "123456789012"',
        '    reason: Bastion during the migration',
        '    owner: platform@example.com',
        '    expires: 2027-01-31',
        '',
      ].join('\n'),
    );
    const args = [
      'scan',
      '--format',
      'json',
      '--state',
      state,
      '--waivers',
      waivers,
      '--input',
      sshOpen,
      '--fail-on',
      'HIGH',
    ];
    const before = await cli(args, { env: { DRIFT_NOW: '2027-01-31T23:59:59Z' } });
    expect(before.code).toBe(0); // a SUPPRESSED finding does not fail the build
    expect(byRule(JSON.parse(before.stdout).findings)).toEqual([
      ['DD-NET-001', 'SUPPRESSED', 'new'],
    ]);
    const after = await cli(args, { env: { DRIFT_NOW: '2027-02-01T00:00:00Z' } });
    expect(after.code).toBe(1);
    expect(byRule(JSON.parse(after.stdout).findings)).toEqual([
      ['DD-NET-001', 'ACTIVE', 'unsuppressed'],
    ]);
    const check = await cli(['waivers', 'check', '--file', waivers], {
      env: { DRIFT_NOW: '2027-02-01T00:00:00Z' },
    });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('expired: DD-NET-*');
    const early = await cli(['waivers', 'check', '--file', waivers, '--within', '10'], {
      env: { DRIFT_NOW: '2027-01-25T00:00:00Z' },
    });
    expect(early.code).toBe(0);
    expect(early.stdout).toContain('expiring within 10 days: DD-NET-*');
  });

  it('loses and duplicates no transition when the scan is killed -9 while it writes the state', async () => {
    const dir = await workdir();
    const state = path.join(dir, 'state.db');
    const template = JSON.parse(await readFile(sshOpen, 'utf8')) as Record<string, unknown>;
    const lines = Array.from({ length: 4000 }, (_, i) =>
      JSON.stringify({
        ...template,
        ARN: `${String(template['ARN'])}${i}`,
        resourceId: `${String(template['resourceId'])}${i}`,
      }),
    );
    const inventory = path.join(dir, 'groups.ndjson');
    await writeFile(inventory, `${lines.join('\n')}\n`);
    const args = [
      bin,
      'scan',
      '--format',
      'json',
      '--progress',
      '--state',
      state,
      '--input',
      inventory,
    ];

    // SIGKILL leaves the scan's working files where it ran: in this test's own directory.
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: dir },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('state: ')) child.kill('SIGKILL');
    });
    await once(child, 'close');
    const killedRun = ((): Reported[] => {
      try {
        return JSON.parse(stdout).findings as Reported[];
      } catch {
        return []; // killed before it printed anything
      }
    })();

    // Killed after the first state batch committed and before the report: a partial state.
    expect(killedRun).toEqual([]);
    const rerun = await scanState(state, [inventory]);
    const news = [...killedRun, ...rerun].filter((f) => f.transition === 'new').map((f) => f.id);
    expect(news.length).toBe(4000);
    expect(new Set(news).size).toBe(4000);
    const third = await scanState(state, [inventory]);
    expect(third.filter((f) => f.transition !== 'unchanged')).toEqual([]);
  }, 120_000);

  it('resolves by what it read, never by the cross product of accounts and kinds', async () => {
    const dir = await workdir();
    const state = path.join(dir, 'state.db');
    const otherSg = await otherAccount(dir, sshOpen);
    await scanState(state, [sshOpen, bucketOpen]);
    // Account A's bucket and account B's security group: A's security groups were not read.
    const next = await scanState(state, [bucketOpen, otherSg]);
    expect(next.filter((f) => f.transition === 'resolved')).toEqual([]);
  });

  it('resolves a resource whose deletion follows its last state, and says why', async () => {
    const dir = await workdir();
    const state = path.join(dir, 'state.db');
    const item = JSON.parse(await readFile(sshOpen, 'utf8')) as Record<string, unknown>;
    const deletion = {
      ...item,
      configurationItemStatus: 'ResourceDeleted',
      configurationItemCaptureTime: '2030-01-01T00:00:00.000Z',
      configuration: null,
      supplementaryConfiguration: {},
    };
    const opened = await scanState(state, [sshOpen]);
    expect(opened.map((f) => f.transition)).toEqual(['new']);
    const history = path.join(dir, 'history.json');
    await writeFile(history, JSON.stringify({ configurationItems: [deletion, item] }));
    const gone = await scanState(state, [history]);
    expect(gone.map((f) => [f.ruleId, f.status, f.transition, f.resolution])).toEqual([
      ['DD-NET-001', 'RESOLVED', 'resolved', 'deleted'],
    ]);
    // Without a state: the deleted resource has no finding either.
    const snapshot = await cli(['scan', '--format', 'json', '--input', history]);
    expect(JSON.parse(snapshot.stdout).findings).toEqual([]);
  });

  it('never opens a finding from an export older than one that found the resource compliant', async () => {
    const dir = await workdir();
    const state = path.join(dir, 'state.db');
    // Today's export: the security group fixed (no finding, only the time it was seen).
    const today = await variant(
      dir,
      await sshFixed(dir),
      '2024-05-14T10:00:01.001Z',
      '2024-05-15T10:00:00.000Z',
    );
    expect(await scanState(state, [today])).toEqual([]);
    // Yesterday's export, scanned after it: SSH open then, but that is history.
    const yesterday = await scanState(state, [sshOpen]);
    expect(yesterday.filter((f) => f.ruleId === 'DD-NET-001')).toEqual([]);
    // Tomorrow's, open again: a finding.
    const tomorrow = await variant(
      dir,
      sshOpen,
      '2024-05-14T10:00:01.001Z',
      '2024-05-16T10:00:00.000Z',
    );
    expect(byRule(await scanState(state, [tomorrow]))).toContainEqual([
      'DD-NET-001',
      'ACTIVE',
      'new',
    ]);
  });

  it('resolves nothing when a record could not be read: it may be the newest state', async () => {
    const dir = await workdir();
    const state = path.join(dir, 'state.db');
    const item = JSON.parse(await readFile(sshOpen, 'utf8')) as Record<string, unknown>;
    await scanState(state, [sshOpen]);
    const fixed = JSON.parse(await readFile(await sshFixed(dir), 'utf8'));
    // The newest item's configuration does not decode: the older, fixed state must not resolve it.
    const unreadable = {
      ...item,
      configurationItemCaptureTime: '2030-01-01T00:00:00.000Z',
      configuration: '{"broken',
    };
    const history = path.join(dir, 'history.json');
    await writeFile(history, JSON.stringify({ configurationItems: [unreadable, fixed] }));
    const result = await cli(['scan', '--format', 'json', '--state', state, '--input', history]);
    const output = JSON.parse(result.stdout);
    expect(output.summary.skipped.length).toBe(1);
    expect(output.findings.filter((f: Reported) => f.transition === 'resolved')).toEqual([]);
    const list = await cli([
      'findings',
      'list',
      '--state',
      state,
      '--status',
      'ACTIVE',
      '--format',
      'json',
    ]);
    expect(JSON.parse(list.stdout).findings.map((f: Reported) => f.ruleId)).toEqual(['DD-NET-001']);
  });
});
