// `drift-detective-azure sweep` when Azure misbehaves: throttling storms (429
// with Retry-After, Resource Graph's quota running out), server errors and
// dropped connections on every call the reader and the publisher make. Whatever
// the faults, once the sweep (or the run after a failed one) is done the
// stand-in holds exactly what a fault-free sweep leaves: the same assessments
// with the same statuses, the same metadata, nothing twice, nothing missing.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  azureFaults,
  startAzureStandIn,
  type AzureFault,
  type AzureStandIn,
  type JournalEntry,
} from '@drift-detective/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adapter,
  assessmentDigest,
  faultSteps,
  freePort,
  journalSince,
  metadataDigest,
  operationIs,
  reportLines,
  resourceId,
  seedRows,
  STACK_FRAME,
  startAdapter,
  statePending,
  SUBSCRIPTION,
  sweepEnv,
  waitFor,
  type AssessmentDigest,
  type FaultStep,
} from './process-support.js';

const standIns: AzureStandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

async function standIn(
  options: Parameters<typeof startAzureStandIn>[0] = {},
): Promise<AzureStandIn> {
  const started = await startAzureStandIn({ seed: seedRows(), ...options });
  standIns.push(started);
  return started;
}

const stateFile = async (): Promise<string> =>
  path.join(await mkdtemp(path.join(tmpdir(), 'drift-azure-faults-')), 'state.db');

/** Calls retried fast: each attempt gets 1.5 s for its answer. */
const FAST = { DRIFT_AZURE_REQUEST_TIMEOUT_MS: '1500', DRIFT_AZURE_CONNECT_TIMEOUT_MS: '1000' };

const OPENED_ALL = new RegExp(
  `^azure sweep ${SUBSCRIPTION}: \\d+ resources in 2 pages, 0 resolved as deleted; findings: 12 opened, 0 updated, 0 resolved, 0 reopened; 0 records skipped$`,
);
const NOTHING_NEW = new RegExp(
  `^azure sweep ${SUBSCRIPTION}: \\d+ resources in 2 pages, 0 resolved as deleted; findings: 0 opened, 0 updated, 0 resolved, 0 reopened; 0 records skipped$`,
);

/** What a fault-free sweep of the seed leaves in Defender for Cloud. */
let clean: { assessments: AssessmentDigest[]; metadata: ReturnType<typeof metadataDigest> };

beforeAll(async () => {
  const azure = await startAzureStandIn({ seed: seedRows() });
  try {
    const run = await adapter(['sweep'], sweepEnv(azure, await stateFile()));
    expect(run.code).toBe(0);
    clean = { assessments: assessmentDigest(azure), metadata: metadataDigest(azure) };
  } finally {
    await azure.close();
  }
  expect(clean.assessments).toHaveLength(12);
  expect(clean.metadata).toHaveLength(9);
}, 30_000);

/** Exactly what the fault-free sweep left, and a next run that finds nothing to send. */
async function expectClean(azure: AzureStandIn, env: NodeJS.ProcessEnv): Promise<void> {
  expect(assessmentDigest(azure)).toEqual(clean.assessments);
  expect(metadataDigest(azure)).toEqual(clean.metadata);
  const writes = azure.writes();
  const again = await adapter(['sweep'], env);
  expect(again.code).toBe(0);
  expect(reportLines(again.stderr)).toEqual([expect.stringMatching(NOTHING_NEW)]);
  expect(azure.writes()).toBe(writes);
  expect(assessmentDigest(azure)).toEqual(clean.assessments);
}

/**
 * The faulted requests of a run, and whether the same call got its real answer
 * at last (a late one, or another attempt without a fault: 2xx, or the 404 of
 * a metadata read before its creation).
 */
function faultedThenAnswered(entries: readonly JournalEntry[]) {
  const real = (e: JournalEntry) =>
    (e.fault === undefined || e.fault === 'delay') && e.status !== 0 && e.status < 429;
  return entries
    .filter((e) => e.fault !== undefined)
    .map((e) => ({
      fault: e.fault,
      operation: e.operation,
      answered: entries.some(
        (other) => other.path === e.path && other.method === e.method && real(other),
      ),
    }));
}

/** For each throttled call, the ms until the same call was sent again (its next journal entry). */
function waitsAfterThrottling(entries: readonly JournalEntry[]): number[] {
  return entries.flatMap((e, i) => {
    if (e.fault !== 'throttle') return [];
    const next = entries
      .slice(i + 1)
      .find((later) => later.path === e.path && later.method === e.method);
    return next === undefined ? [Number.NaN] : [Date.parse(next.at) - Date.parse(e.at)];
  });
}

const is = (operation: string, pathPart?: string) => operationIs(operation, pathPart);

describe('drift-detective-azure sweep under Azure faults', () => {
  it('reader faults (429 with Retry-After, 5xx, dropped connections on Resource Graph and the ARM child reads) lose and duplicate nothing', async () => {
    const azure = await standIn();
    const env = sweepEnv(azure, await stateFile(), FAST);
    azure.setFaults(
      faultSteps(
        { match: is('Resources'), count: 1, fault: azureFaults.throttle(1) },
        { match: is('Resources'), count: 1, fault: azureFaults.serverError(503) },
        { match: is('Resources'), count: 1, fault: azureFaults.drop() },
        {
          match: is('ResourceList', '/blobServices/default/containers'),
          count: 2,
          fault: azureFaults.drop(),
        },
        {
          match: is('ResourceList', '/firewallRules'),
          count: 1,
          fault: azureFaults.serverError(500),
        },
        { match: is('ResourceList', '/blobServices'), count: 1, fault: azureFaults.throttle(1) },
      ),
    );
    const run = await adapter(['sweep'], env);
    expect(run.code).toBe(0);
    expect(reportLines(run.stderr)).toEqual([expect.stringMatching(OPENED_ALL)]);
    const faulted = faultedThenAnswered(azure.requests());
    expect(faulted).toHaveLength(7);
    expect(faulted.every((f) => f.answered)).toBe(true);
    expect(new Set(faulted.map((f) => f.fault))).toEqual(
      new Set(['throttle', 'serverError', 'drop']),
    );
    // Retry-After: 1 was honoured: no throttled call came back within the second.
    const waits = waitsAfterThrottling(azure.requests());
    expect(waits).toHaveLength(2);
    for (const ms of waits) expect(ms).toBeGreaterThanOrEqual(950);
    azure.setFaults(() => null);
    await expectClean(azure, env);
  }, 30_000);

  it("waits for Resource Graph's quota to reset when the headers say it is spent, instead of being throttled", async () => {
    // One query per second: every answer says x-ms-user-quota-remaining: 0.
    const azure = await standIn({ quota: { requests: 1, windowMs: 1_000 } });
    const env = sweepEnv(azure, await stateFile());
    const run = await adapter(['sweep'], env);
    expect(run.code).toBe(0);
    expect(reportLines(run.stderr)).toEqual([expect.stringMatching(OPENED_ALL)]);
    const queries = azure.requests().filter((e) => e.operation === 'Resources');
    expect(queries).toHaveLength(4);
    // Never throttled: each query waited for the window the previous answer announced.
    expect(queries.map((q) => q.status)).toEqual([200, 200, 200, 200]);
    const times = queries.map((q) => Date.parse(q.at));
    for (let i = 1; i < times.length; i += 1) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
    }
    expect(assessmentDigest(azure)).toEqual(clean.assessments);
    expect(metadataDigest(azure)).toEqual(clean.metadata);
  }, 30_000);

  it('publisher faults (a 429 storm, 5xx, dropped connections, answers too late) on metadata and assessments lose and duplicate nothing', async () => {
    const azure = await standIn();
    const env = sweepEnv(azure, await stateFile(), FAST);
    azure.setFaults(
      faultSteps(
        {
          match: is('AssessmentsMetadata_GetInSubscription'),
          count: 2,
          fault: azureFaults.serverError(503),
        },
        {
          match: is('AssessmentsMetadata_CreateInSubscription'),
          count: 1,
          fault: azureFaults.drop(),
        },
        // Applied by the stand-in after the client gave up on it: the retry writes it again.
        {
          match: is('AssessmentsMetadata_CreateInSubscription'),
          count: 1,
          fault: azureFaults.delay(3_000),
        },
        { match: is('Assessments_CreateOrUpdate'), count: 6, fault: azureFaults.throttle(1) },
        { match: is('Assessments_CreateOrUpdate'), count: 1, fault: azureFaults.serverError(500) },
        { match: is('Assessments_CreateOrUpdate'), count: 1, fault: azureFaults.drop() },
        { match: is('Assessments_CreateOrUpdate'), count: 1, fault: azureFaults.delay(3_000) },
      ),
    );
    const run = await adapter(['sweep'], env);
    expect(run.code).toBe(0);
    expect(reportLines(run.stderr)).toEqual([expect.stringMatching(OPENED_ALL)]);
    // The late ones were written twice, to the same names: still one of each.
    await waitFor('both late writes applied', () =>
      azure.requests().filter((e) => e.fault === 'delay').length === 2 ? true : undefined,
    );
    const faulted = faultedThenAnswered(azure.requests());
    expect(faulted).toHaveLength(13);
    expect(faulted.every((f) => f.answered)).toBe(true);
    const waits = waitsAfterThrottling(azure.requests());
    expect(waits).toHaveLength(6);
    for (const ms of waits) expect(ms).toBeGreaterThanOrEqual(950);
    azure.setFaults(() => null);
    await expectClean(azure, env);
  }, 30_000);

  it('a refusal for good (403 on one assessment) is counted and kept pending, never blocks the others; the next run sends it', async () => {
    const azure = await standIn();
    const statePath = await stateFile();
    const metricsPort = await freePort();
    const env = sweepEnv(azure, statePath, {
      DRIFT_METRICS_PORT: String(metricsPort),
    });
    const storage = resourceId('ddstor001public', seedRows());
    const denied = JSON.stringify({
      error: {
        code: 'AuthorizationFailed',
        message: `The client does not have authorization to perform action 'Microsoft.Security/assessments/write' over scope '${storage}'.`,
      },
    });
    let held = false;
    azure.setFaults(
      faultSteps(
        {
          match: is('Assessments_CreateOrUpdate', '/ddstor001public/'),
          fault: azureFaults.garbage(denied, 403),
        },
        // The role definitions query waits: the first page is published, the process still up.
        {
          match: is('Resources'),
          from: 2,
          count: 1,
          fault: azureFaults.delay(5_000),
          onFault: () => void (held = true),
        },
      ),
    );
    const run = startAdapter(['sweep'], env);
    await waitFor('the first page published', () => (held ? true : undefined));
    const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(scrape).toMatch(/^drift_errors_total\{kind="publish_rejected"\} 1$/m);
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.stderr()).not.toMatch(STACK_FRAME);
    expect(reportLines(run.stderr())).toEqual([expect.stringMatching(OPENED_ALL)]);
    // Every other assessment went out; the refused one is pending in the state.
    const refusedId = clean.assessments.find((a) => a.id.startsWith(`${storage.toLowerCase()}/`))!;
    expect(assessmentDigest(azure)).toEqual(clean.assessments.filter((a) => a !== refusedId));
    expect((await statePending(statePath)).map((f) => f.id)).toEqual([refusedId.findingId]);
    // Tried once only: a refusal for good is not retried.
    expect(
      azure
        .requests()
        .filter((e) => e.operation === 'Assessments_CreateOrUpdate' && e.status === 403),
    ).toHaveLength(1);

    azure.setFaults(() => null);
    const next = await adapter(['sweep'], env);
    expect(next.code).toBe(0);
    expect(await statePending(statePath)).toEqual([]);
    await expectClean(azure, env);
  }, 30_000);

  it('a fault past the retries fails the subscription on one line with exit 2; the next run sends what stayed pending and completes', async () => {
    const azure = await standIn();
    const statePath = await stateFile();
    const env = sweepEnv(azure, statePath, FAST);
    azure.setFaults(
      faultSteps({
        match: is('Assessments_CreateOrUpdate', '/ddstor001public/'),
        fault: azureFaults.serverError(503),
      }),
    );
    const failed = await adapter(['sweep'], env);
    expect(failed.code).toBe(2);
    expect(failed.stderr).not.toMatch(STACK_FRAME);
    expect(reportLines(failed.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^drift-detective: azure sweep ${SUBSCRIPTION} failed: DefenderPublishError: .*HTTP 503`,
        ),
      ),
    ]);
    // Five attempts: the first and four retries.
    expect(
      azure
        .requests()
        .filter((e) => e.operation === 'Assessments_CreateOrUpdate' && e.status === 503),
    ).toHaveLength(5);
    expect(await statePending(statePath)).toHaveLength(1);

    azure.setFaults(() => null);
    const before = azure.requests().length;
    const resumed = await adapter(['sweep'], env);
    expect(resumed.code).toBe(0);
    expect(await statePending(statePath)).toEqual([]);
    // It resumed after the saved page: no child reads of the resources page again.
    expect(journalSince(azure, before).filter((e) => e.operation === 'ResourceList')).toEqual([]);
    await expectClean(azure, env);
  }, 60_000);

  it('for any transient fault on any call the sweep makes, ends with exactly what a fault-free sweep leaves', async () => {
    const OPERATIONS = [
      'Resources',
      'ResourceList',
      'AssessmentsMetadata_GetInSubscription',
      'AssessmentsMetadata_CreateInSubscription',
      'Assessments_CreateOrUpdate',
    ] as const;
    const FAULTS: Record<string, AzureFault> = {
      throttle: azureFaults.throttle(1),
      serverError: azureFaults.serverError(503),
      dropped: azureFaults.drop(),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            operation: fc.constantFrom(...OPERATIONS),
            fault: fc.constantFrom(...Object.keys(FAULTS)),
            from: fc.integer({ min: 0, max: 3 }),
            count: fc.integer({ min: 1, max: 2 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        async (cases) => {
          const azure = await standIn();
          try {
            const env = sweepEnv(azure, await stateFile(), FAST);
            const steps: FaultStep[] = cases.map((c) => ({
              match: is(c.operation),
              from: c.from,
              count: c.count,
              fault: FAULTS[c.fault]!,
            }));
            azure.setFaults(faultSteps(...steps));
            const run = await adapter(['sweep'], env);
            expect(run.code).toBe(0);
            expect(reportLines(run.stderr)).toEqual([expect.stringMatching(OPENED_ALL)]);
            azure.setFaults(() => null);
            await expectClean(azure, env);
          } finally {
            await azure.close();
            standIns.splice(standIns.indexOf(azure), 1);
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 90_000);
});
