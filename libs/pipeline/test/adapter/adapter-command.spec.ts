import { describe, expect, it } from 'vitest';
import {
  countingTransitions,
  EXIT,
  runAdapterCommand,
  SettingsError,
  sweepLine,
  UsageError,
} from '../../src/index.js';

function capture() {
  const lines: string[] = [];
  return { io: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) }, lines };
}

describe('runAdapterCommand', () => {
  it('turns a setting it cannot use into a usage error', async () => {
    const { io } = capture();
    await expect(
      runAdapterCommand('x sweep', { sweep: true }, io, () =>
        Promise.reject(new SettingsError('--port must be a port')),
      ),
    ).rejects.toThrow(UsageError);
  });

  it('prints one line and exits 2 for a cloud failure, and keeps the stack of a bug', async () => {
    const { io, lines } = capture();
    const failure = Object.assign(new Error('The client has no access\n  to the scope'), {
      name: 'AuthorizationFailed',
    });
    expect(
      await runAdapterCommand('x serve', { sweep: false }, io, () => Promise.reject(failure)),
    ).toBe(EXIT.error);
    expect(lines).toEqual([
      'drift-detective: x serve failed: AuthorizationFailed: The client has no access to the scope\n',
    ]);
    await expect(
      runAdapterCommand('x serve', { sweep: false }, io, () =>
        Promise.reject(new TypeError('bug')),
      ),
    ).rejects.toThrow(TypeError);
  });

  it('says a stopped sweep stopped, whatever the call it cut threw', async () => {
    const { io, lines } = capture();
    const stop = new AbortController();
    stop.abort('SIGTERM');
    const code = await runAdapterCommand('x sweep', { sweep: true, signal: stop.signal }, io, () =>
      Promise.reject(new TypeError('fetch failed')),
    );
    expect(code).toBe(EXIT.error);
    expect(lines.join('')).toMatch(/^x sweep stopped by SIGTERM: incomplete/);
  });
});

describe('sweepLine', () => {
  it('reports what one scope read, resolved and skipped, with counts of its own run', () => {
    const { metrics, counts } = countingTransitions(undefined);
    metrics.transitions.inc({ transition: 'new', severity: 'HIGH' }, 2);
    metrics.transitions.inc({ transition: 'suppressed', severity: 'LOW' });
    const line = sweepLine('x sweep', 'scope-1', {
      sweepId: 's',
      pages: 3,
      resources: 7,
      resumedAfter: null,
      skipped: 1,
      completed: true,
      resolvedDeleted: 0,
      findings: counts(),
    });
    expect(line).toBe(
      'x sweep scope-1: 7 resources in 3 pages, 0 resolved as deleted; findings: 2 opened, 0 updated, 0 resolved, 0 reopened, 1 suppressed; 1 record skipped\n',
    );
  });
});
