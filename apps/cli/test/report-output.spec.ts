// A scan stopped early, by its reader or by a signal. A report written to a reader that stops early (`| head`): one line on
// stderr and exit 2, no stack trace, and nothing marked reported, so the next
// run reports the same transitions again.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cli, securityGroups } from './cli-process.js';

/** Runs a scan whose stdout reader takes `bytes` bytes and then closes the pipe. */
function scanReadPartly(args: readonly string[], bytes: number) {
  return new Promise<{ code: number; stderr: string; read: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'scan', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let read = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read >= bytes) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr, read }));
  });
}

describe('a reader that stops before the end of the report', () => {
  it('ends the scan with exit 2 and one line, and marks nothing reported', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-epipe-'));
    const input = await securityGroups(dir, 3_000);
    const state = path.join(dir, 'state.db');
    const args = ['--format', 'json', '--input', input, '--state', state];
    const cut = await scanReadPartly(args, 1_000);
    expect(cut.read).toBeLessThan(2_000_000);
    expect(cut.code, cut.stderr).toBe(2);
    expect(cut.stderr.trim().split('\n')).toEqual([
      'drift-detective: standard output closed before the report was all written (EPIPE); nothing was marked reported',
    ]);
    // The transitions were saved but not taken: the next run reports every one as new again.
    const next = await cli(['scan', ...args]);
    expect(next.code, next.stderr).toBe(0);
    const { findings } = JSON.parse(next.stdout) as { findings: { transition: string }[] };
    expect(findings).toHaveLength(3_000);
    expect(new Set(findings.map((f) => f.transition))).toEqual(new Set(['new']));
  }, 120_000);
});

describe('a scan stopped by SIGTERM', () => {
  it.each([
    ['while it reads', /scanned 1000 records/],
    ['while it reconciles the state', /state: \d+\/20000 resources/],
  ])(
    'exits 2 with one line, leaves no working file behind and the state usable (%s)',
    async (_when, trigger) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'drift-sigterm-'));
      const input = await securityGroups(dir, 20_000);
      // Its own TMPDIR: whatever the scan leaves behind is in there.
      const scratch = await mkdtemp(path.join(tmpdir(), 'drift-sigterm-tmp-'));
      const args = ['--format', 'json', '--input', input, '--state', path.join(dir, 'state.db')];
      const child = spawn(process.execPath, [bin, 'scan', '--progress', ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TMPDIR: scratch },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Once it is well into that phase, and long before it could be through it.
        if (trigger.test(stderr) && !child.killed) child.kill('SIGTERM');
      });
      const [code] = (await once(child, 'close')) as [number];
      const lines = stderr.trim().split('\n');
      expect(code, stderr).toBe(2);
      expect(
        lines.filter((line) => !line.startsWith('scanned ') && !line.startsWith('state: ')),
      ).toEqual([
        'drift-detective: scan stopped by SIGTERM before its end: its report is incomplete and nothing was marked reported',
      ]);
      expect(await readdir(scratch)).toEqual([]);
      // The state was let go of at once, and nothing in it was taken as reported.
      const next = await cli(['scan', ...args], { env: { DRIFT_STATE_WAIT_SECONDS: '0' } });
      expect(next.code, next.stderr).toBe(0);
      const { findings } = JSON.parse(next.stdout) as { findings: { transition: string }[] };
      expect(findings).toHaveLength(20_000);
      expect(new Set(findings.map((f) => f.transition))).toEqual(new Set(['new']));
    },
    120_000,
  );
});
