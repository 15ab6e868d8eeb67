// One state has one writer, as real processes see it: two scans started
// together take turns, a held state refuses by name after the wait, and a
// state that cannot be written is one line, exit 2, with nothing left behind.
import { chmod, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore } from '@drift-detective/findings';
import { describe, expect, it } from 'vitest';
import { cli, securityGroups } from './cli-process.js';

interface Report {
  findings: { id: string; transition?: string }[];
  summary: { findings: number };
}

const transitions = (report: Report) => new Set(report.findings.map((f) => f.transition));

describe('one state, one writer', () => {
  it('two scans started together take turns: one opens every finding, the other finds them unchanged', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-writers-'));
    const input = await securityGroups(dir, 1500);
    const state = path.join(dir, 'state.db');
    const args = ['scan', '--format', 'json', '--input', input, '--state', state];
    const runs = await Promise.all([cli(args), cli(args)]);
    const reports = runs.map((run) => {
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout) as Report;
    });
    for (const report of reports) {
      expect(report.findings).toHaveLength(1500);
      expect(report.summary.findings).toBe(report.findings.length);
    }
    const seen = reports.map(transitions).map((t) => [...t].sort().join(','));
    expect(seen.sort()).toEqual(['new', 'unchanged']);
  }, 120_000);

  it('refuses by name when the state stays held past the wait, exit 2', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-writers-'));
    const input = await securityGroups(dir, 3);
    const state = path.join(dir, 'state.db');
    const holder = new SqliteStateStore(state, { command: 'drift-detective aws worker' });
    try {
      const run = await cli(['scan', '--format', 'json', '--input', input, '--state', state], {
        env: { DRIFT_STATE_WAIT_SECONDS: '1' },
      });
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      const lines = run.stderr.trim().split('\n');
      expect(lines[0]).toMatch(
        new RegExp(
          `^waiting for state file ${state}: in use by pid ${process.pid} \\(drift-detective aws worker\\) on `,
        ),
      );
      expect(lines[1]).toMatch(
        new RegExp(
          `^drift-detective: state file ${state} is in use by pid ${process.pid} \\(drift-detective aws worker\\) .*; waited 1 s`,
        ),
      );
    } finally {
      await holder.close();
    }
  });

  it('names a read-only state file in one line, exit 2, and leaves nothing behind', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-readonly-'));
    const input = await securityGroups(dir, 3);
    const state = path.join(dir, 'state.db');
    const first = await cli(['scan', '--format', 'json', '--input', input, '--state', state]);
    expect(first.code).toBe(0);
    await chmod(state, 0o444);
    await chmod(dir, 0o755);
    const before = (await readdir(dir)).sort();
    const run = await cli(['scan', '--format', 'json', '--input', input, '--state', state], {
      unprivileged: true,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^drift-detective: state file ${state} cannot be written: .* is read-only \\(EACCES\\)$`,
      ),
    );
    expect((await readdir(dir)).sort()).toEqual(before);
  });
});
