// Many workers, one truth: N `drift-detective-aws worker` processes on one SQS
// queue (moto) and one PostgreSQL state, the events of a few buckets
// interleaved and each delivered ten times, workers killed with SIGKILL at
// random points and replaced. Security Hub must end exactly as one worker on
// SQLite leaves it, given the same events: nothing lost, nothing doubled,
// every fix resolved.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readStateFindings } from '@drift-detective/findings';
import {
  bucketChangeDetail,
  configEventPath,
  queueEmpty,
  REGION,
  securityHubFindings,
  TEST_CREDENTIALS as credentials,
} from '@drift-detective/provider-aws/testing';
import {
  faults,
  startFaultProxy,
  startMotoServer,
  startPostgres,
  type FaultProxy,
  type MotoServer,
  type PostgresServer,
} from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterEnv, startWorker, stopWorker, waitFor, type Worker } from './adapter-process.js';

const WORKERS = 4;
const BUCKETS = 4;
/** States per bucket, one minute apart. */
const VERSIONS = 6;
const REPLAYS = 10;
const KILLS = 6;

let moto: MotoServer;
let postgres: PostgresServer;
/**
 * What the workers talk to: moto, with Security Hub answering after 0–150 ms,
 * as a real hub varies. A worker that sent an older state more slowly than
 * another sent a newer one would leave the hub with the older: the locks must
 * keep a resource's publishes in order.
 */
let slowHub: FaultProxy;
let sqs: SQSClient;

beforeAll(async () => {
  [moto, postgres] = await Promise.all([startMotoServer(), startPostgres()]);
  const latency = random(42);
  slowHub = await startFaultProxy({
    target: moto.endpoint,
    plan: (r) =>
      r.operation === 'BatchImportFindings' || r.operation === 'BatchUpdateFindings'
        ? faults.delay(Math.floor(latency() * 150))
        : null,
  });
  sqs = new SQSClient({ endpoint: moto.endpoint, region: REGION, credentials });
}, 60_000);
afterAll(async () => {
  sqs?.destroy();
  await slowHub?.stop();
  await Promise.all([moto?.stop(), postgres?.stop()]);
});

/** A small deterministic generator (mulberry32), so a failing order can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Change {
  readonly bucket: string;
  readonly blocked: boolean;
  readonly capturedAt: Date;
}

/** Whether a bucket's newest state has its public access blocked: the even ones. */
const fixedInTheEnd = (b: number) => b % 2 === 0;

/**
 * Every bucket's history, one minute apart: public first (the finding opens),
 * then blocked and public by turns, ending blocked (fixed) for the even
 * buckets and public (violating) for the odd ones.
 */
function histories(): Change[] {
  const start = Date.parse('2026-12-01T09:00:00Z');
  return Array.from({ length: BUCKETS }, (_, b) =>
    Array.from({ length: VERSIONS }, (_, v) => ({
      bucket: `many-workers-${b}`,
      blocked: v > 0 && (v + b) % 2 === 1,
      capturedAt: new Date(start + v * 60_000 + b * 1000),
    })),
  ).flat();
}

/** Each bucket's first, public state: delivered alone first, so every bucket has a finding. */
const firstStates = () => histories().filter((_, i) => i % VERSIONS === 0);

/**
 * Every change, each REPLAYS times, roughly in capture order but shuffled
 * across neighbouring states: each state is the newest for a while (so each
 * opens or resolves the finding), while replays of it and of the states
 * around it are handled at once by different workers.
 */
function deliveries(seed: number): Change[] {
  const next = random(seed);
  return histories()
    .flatMap((change, i) =>
      Array.from({ length: REPLAYS }, () => ({ change, key: (i % VERSIONS) + next() * 2.5 })),
    )
    .sort((a, b) => a.key - b.key)
    .map(({ change }) => change);
}

/** What a finding in the hub says, without the times that differ from run to run. */
function projection(findings: readonly AwsSecurityFinding[]) {
  return findings
    .map((f) => ({
      id: f.Id,
      resource: f.Resources?.[0]?.Id,
      rule: f.GeneratorId,
      recordState: f.RecordState,
      compliance: f.Compliance?.Status,
      workflow: f.Workflow?.Status,
      severity: f.Severity?.Label,
    }))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** Sends the changes as AWS Config does (EventBridge to the queue), a few at a time. */
async function send(
  put: (detail: Record<string, unknown>) => Promise<void>,
  changes: readonly Change[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += 20) {
    await Promise.all(
      changes
        .slice(i, i + 20)
        .map((c) => put(bucketChangeDetail(c.bucket, c.blocked, { capturedAt: c.capturedAt }))),
    );
  }
}

/** Waits until the queue has been seen empty; `chaos` may kill and replace workers meanwhile. */
async function untilDrained(queueUrl: string, chaos?: () => void): Promise<void> {
  await waitFor(
    'the queue to drain',
    async () => {
      chaos?.();
      return (await queueEmpty(sqs, queueUrl)) ? true : undefined;
    },
    240_000,
  );
}

/**
 * Every bucket's first state, drained; then every change ten times over, shuffled,
 * drained again; then the workers are stopped as a deployment stops them.
 */
async function deliverAll(
  queue: { readonly queueUrl: string; putDetail(detail: Record<string, unknown>): Promise<void> },
  workers: Worker[],
  chaos?: () => void,
): Promise<void> {
  await send(queue.putDetail, firstStates());
  await untilDrained(queue.queueUrl);
  await send(queue.putDetail, deliveries(20261207));
  await untilDrained(queue.queueUrl, chaos);
  const codes = await Promise.all(workers.map(stopWorker));
  expect(codes.every((code) => code === 0)).toBe(true);
}

describe(`${WORKERS} workers on one queue and one PostgreSQL state`, () => {
  it('leave Security Hub as one worker on SQLite does: every fix resolved, none lost, none doubled, despite SIGKILLs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-many-workers-'));
    const base = adapterEnv(slowHub.endpoint, dir, credentials, REGION);
    const workerEnv = { ...base, DRIFT_MAX_ATTEMPTS: '20', LOG_LEVEL: 'warn' };

    // The reference: one worker and a SQLite file, given the same deliveries.
    let queue = await configEventPath(moto.endpoint, 2);
    await deliverAll(queue, [startWorker(queue.queueUrl, [], workerEnv)]);
    const expected = projection(await securityHubFindings(moto.endpoint));
    const referenceState = await readStateFindings(String(base['DRIFT_STATE_PATH']));

    // The same account, fresh: N workers, one PostgreSQL database, the shuffled replays.
    await moto.reset();
    queue = await configEventPath(moto.endpoint, 2);
    const stateUrl = await postgres.createDatabase();
    const sharedEnv = { ...workerEnv, DRIFT_STATE_PATH: '', DRIFT_STATE_URL: stateUrl };
    const start = () => startWorker(queue.queueUrl, ['--concurrency', '4'], sharedEnv);
    const workers = Array.from({ length: WORKERS }, start);
    const killed: number[] = [];
    const next = random(7);
    let nextKillAt = Date.now() + 500;
    const chaos = () => {
      if (killed.length >= KILLS || Date.now() < nextKillAt) return;
      const victim = Math.floor(next() * workers.length);
      const worker = workers[victim] as Worker;
      worker.child.kill('SIGKILL');
      killed.push(worker.child.pid ?? 0);
      workers[victim] = start();
      nextKillAt = Date.now() + 200 + next() * 800;
    };
    await deliverAll(queue, workers, chaos);
    expect(killed).toHaveLength(KILLS);

    const actual = projection(await securityHubFindings(moto.endpoint));
    expect(actual).toEqual(expected);
    // Every bucket has its one finding: ARCHIVED where the newest state is blocked, ACTIVE where public.
    expect(actual).toHaveLength(BUCKETS);
    for (let b = 0; b < BUCKETS; b++) {
      expect(actual.find((f) => f.resource === `arn:aws:s3:::many-workers-${b}`)).toMatchObject(
        fixedInTheEnd(b)
          ? { recordState: 'ARCHIVED', compliance: 'PASSED', workflow: 'RESOLVED' }
          : { recordState: 'ACTIVE', compliance: 'FAILED' },
      );
    }
    // The shared state holds what the single worker's does, and nothing is left unpublished.
    const shared = await readStateFindings(stateUrl);
    const summary = (records: typeof shared) =>
      records.map((r) => [r.id, r.status, r.pendingTransition, r.contentHash]);
    expect(summary(shared)).toEqual(summary(referenceState));
    expect(shared.every((r) => r.pendingTransition === null)).toBe(true);
  }, 300_000);
});
