import { readBundleDir } from '@drift-detective/policy-engine';
import { builtPolicyDir } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { frameworksDir, readBenchmarks, statusOf } from '../scripts/coverage.js';
import { execFile } from 'node:child_process';
import { bin, cli } from './cli-process.js';

interface ControlsAnswer {
  framework: string;
  summary: { controls: number; observable: number; covered: number };
  controls: { id: string; status: string; rules: string[]; reason: string | null }[];
}

describe('drift-detective rules', () => {
  it("answers --framework from the bundle's own control list, as the coverage table does", async () => {
    const { manifest } = await readBundleDir(builtPolicyDir);
    for (const benchmark of await readBenchmarks(frameworksDir)) {
      const run = await cli(['rules', '--framework', benchmark.framework, '--format', 'json']);
      expect(run.code, run.stderr).toBe(0);
      const answer = JSON.parse(run.stdout) as ControlsAnswer;
      expect(answer.controls.map((c) => c.id)).toEqual(benchmark.controls.map((c) => c.id));
      for (const [index, control] of benchmark.controls.entries()) {
        const status = statusOf(benchmark, control, manifest.rules);
        expect(answer.controls[index]).toMatchObject({
          status: status.kind,
          rules: status.kind === 'covered' ? status.rules : [],
          reason: status.kind === 'unobservable' ? status.reason : null,
        });
      }
      expect(answer.summary).toEqual({
        controls: benchmark.controls.length,
        observable: benchmark.controls.filter((c) => c.observable).length,
        covered: answer.controls.filter((c) => c.status === 'covered').length,
      });
    }
  });

  it('prints a table: a line per control, then the counts', async () => {
    const run = await cli(['rules', '--framework', 'cis-gcp-3.0']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(/^3\.6\s+covered: DD-NET-001, DD-NET-002\s+— /),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^1\.2\s+not observable from inventory: .+ — Ensure that Multi-Factor/),
    );
    expect(lines.at(-1)).toMatch(
      /^CIS Google Cloud Platform Foundation Benchmark v3\.0\.0: \d+ control\(s\), \d+ observable from inventory, \d+ covered\.$/,
    );
  });

  it('lists a framework without a control list by the controls its rules name', async () => {
    const run = await cli(['rules', '--framework', 'nist-800-53', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as ControlsAnswer;
    expect(answer.controls.find((c) => c.id === 'SC-7')?.rules).toContain('DD-NET-001');
    expect(answer.controls.every((c) => c.status === 'covered')).toBe(true);
  });

  it('lists every rule of the bundle without --framework', async () => {
    const { manifest } = await readBundleDir(builtPolicyDir);
    const run = await cli(['rules', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const ids = (JSON.parse(run.stdout) as { rules: { id: string }[] }).rules.map((r) => r.id);
    expect(ids).toEqual(manifest.rules.map((r) => r.id).sort());
  });

  it('refuses a framework the bundle does not know, on one line naming those it knows (exit 2)', async () => {
    const run = await cli(['rules', '--framework', 'cis-aws-9.9']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^drift-detective: --framework cis-aws-9\.9 is none of the bundle's: .*cis-aws-3\.0, cis-azure-3\.0, cis-gcp-3\.0, nist-800-53$/,
      ),
    ]);
  });

  it('ends quietly, exit 0 and no stack, when its reader goes away (| head -1)', async () => {
    // Azure's list is long enough to outgrow the pipe's buffer after head has gone.
    const script = `"${process.execPath}" "${bin}" rules --framework cis-azure-3.0 | head -1 >/dev/null; echo "exit \${PIPESTATUS[0]}" >&2`;
    const { stderr } = await new Promise<{ stderr: string }>((resolve) => {
      execFile('bash', ['-c', script], (_error, _stdout, err) => resolve({ stderr: err }));
    });
    expect(stderr).toBe('exit 0\n');
  });
});
