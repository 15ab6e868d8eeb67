// Keeps the adapter's error paths held: for any AWS misbehaviour (throttling,
// 5xx, dropped connections, garbage, silence) at any call, and any state
// (fresh, or held by another writer), `drift-detective-aws sweep` exits 0 or 2
// as documented, never with a stack trace, its failure on one line of its own.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { SqliteStateStore } from '@drift-detective/findings';
import {
  REGION,
  seedAccount,
  TEST_CREDENTIALS as credentials,
} from '@drift-detective/provider-aws/testing';
import {
  faults,
  faultsFrom,
  startFaultProxy,
  startMotoServer,
  type Fault,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapter, adapterEnv, failureLines } from './adapter-process.js';

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

const OPERATIONS = [
  'GetCallerIdentity',
  'DescribeConfigurationRecorders',
  'ListDiscoveredResources',
  'BatchGetResourceConfig',
  'BatchImportFindings',
] as const;

const FAULTS: Record<string, Fault> = {
  throttle: faults.throttle(),
  serverError: faults.serverError(503),
  dropped: faults.dropBeforeForward(),
  notJson: faults.garbage('not json'),
  html500: faults.garbage('<html><body>Bad gateway</body></html>', 500, 'text/html'),
  silent: faults.silent(),
};

const caseArbitrary = fc.record({
  operation: fc.constantFrom(...OPERATIONS),
  fault: fc.constantFrom(...Object.keys(FAULTS), 'none'),
  /** From which call of the operation on (retries counted) the fault holds. */
  from: fc.integer({ min: 0, max: 2 }),
  held: fc.boolean(),
});

describe('aws sweep error paths, for any AWS fault and state', () => {
  it('exits 0 or 2, its failure on one line of its own, with no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        await moto.reset();
        await seedAccount(moto.endpoint);
        const fault = FAULTS[c.fault];
        const proxy = await startFaultProxy({
          target: moto.endpoint,
          plan: faultsFrom(() => (fault ? { [c.operation]: { from: c.from, fault } } : {})),
        });
        const dir = await mkdtemp(path.join(tmpdir(), 'drift-sweep-paths-'));
        // A live writer of the state: this test process, as a worker would hold it.
        const holder = c.held
          ? new SqliteStateStore(path.join(dir, 'state.db'), {
              command: 'drift-detective aws worker',
            })
          : undefined;
        try {
          const run = await adapter(['sweep'], {
            env: {
              ...adapterEnv(proxy.endpoint, dir, credentials, REGION),
              DRIFT_AWS_HOME_REGION: REGION,
              DRIFT_STATE_WAIT_SECONDS: '0',
              DRIFT_AWS_CONNECT_TIMEOUT_MS: '500',
              DRIFT_AWS_REQUEST_TIMEOUT_MS: '1000',
            },
          });
          expect([0, 2]).toContain(run.code);
          expect(run.stderr).not.toMatch(/^\s+at /m);
          expect(run.stderr).not.toMatch(/\(node:\d+\) \w*Warning|NodeVersionSupportWarning/);
          const { last, others } = failureLines(run.stderr);
          // Everything but the last line is a JSON log line (or the sweep's own report).
          for (const line of others) {
            if (!line.startsWith('aws sweep ')) expect(JSON.parse(line)).toHaveProperty('level');
          }
          if (c.held) {
            expect(run.code).toBe(2);
            expect(last).toMatch(
              /state file .* is in use by pid \d+ \(drift-detective aws worker\)/,
            );
            return;
          }
          if (run.code === 0) {
            expect(last).toMatch(/^aws sweep us-east-1 \(\d{12}\): \d+ resources in \d+ pages/);
            expect(last).not.toMatch(/incomplete/);
          } else {
            // One line: the failure, or the sweep's own report of an incomplete run.
            expect(last).toMatch(/^(drift-detective: aws sweep failed: |aws sweep .*incomplete)/);
          }
          if (fault === undefined) expect(run.code).toBe(0);
        } finally {
          await holder?.close();
          await proxy.stop();
        }
      }),
      { numRuns: 12 },
    );
  }, 600_000);
});
