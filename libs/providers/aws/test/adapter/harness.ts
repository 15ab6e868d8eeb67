import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqliteStateStore } from '@drift-detective/findings';
import { createMemoryMetrics, type EventSummary } from '@drift-detective/pipeline';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine, startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { resolveAwsConfig, type FlagValues } from '../../src/adapter/config.js';
import { awsWorker } from '../../src/adapter/worker.js';
import { SecurityHubPublisher } from '../../src/securityhub/publisher.js';
import { endpointClients, REGION, TEST_CREDENTIALS } from '../../src/testing/index.js';

export async function tempStore(): Promise<SqliteStateStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-adapter-'));
  return new SqliteStateStore(path.join(dir, 'state.db'));
}

/** The adapter wired as the CLI wires it, its clients aimed at `endpoint`. */
export function adapter(
  endpoint: string,
  engine: PolicyEngine,
  store: SqliteStateStore,
  flags: FlagValues = {},
  memberRole: string | null = null,
) {
  const config = resolveAwsConfig({ env: {}, flags: { regions: [REGION], ...flags } });
  const clients = endpointClients(endpoint, memberRole, config);
  const deps = {
    engine,
    store,
    metrics: createMemoryMetrics(),
    publisher: new SecurityHubPublisher({
      clientFor: (region, account) => clients.securityHub(region, account),
      homeRegion: REGION,
    }),
  };
  return { clients, config, deps };
}

/** Messages the queue still holds, visible or in flight. */
export async function held(motoEndpoint: string, queueUrl: string): Promise<number> {
  const sqs = new SQSClient({
    endpoint: motoEndpoint,
    region: REGION,
    credentials: TEST_CREDENTIALS,
  });
  const answer = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  sqs.destroy();
  return (
    Number(answer.Attributes?.['ApproximateNumberOfMessages']) +
    Number(answer.Attributes?.['ApproximateNumberOfMessagesNotVisible'])
  );
}

/**
 * A worker running in the background, as a deployment runs one: `settled()`
 * waits until its queue is empty (every message acked or dead-lettered);
 * `stop()` drains it and returns its summary.
 */
export function runningWorker(motoEndpoint: string, wired: ReturnType<typeof adapter>) {
  const queueUrl = wired.config.queueUrl;
  if (!queueUrl) throw new Error('a worker needs a queueUrl flag');
  const halt = new AbortController();
  const worker = awsWorker({ ...wired, signal: halt.signal });
  return {
    async settled(timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const left = await held(motoEndpoint, queueUrl);
        if (left === 0) return;
        if (Date.now() > deadline) throw new Error(`${left} messages still in the queue`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(): Promise<EventSummary> {
      halt.abort();
      const summary = await worker;
      wired.clients.destroy();
      return summary;
    },
  };
}

/** Runs a worker until the queue is empty, then drains it. */
export async function workUntilEmpty(
  motoEndpoint: string,
  wired: ReturnType<typeof adapter>,
  timeoutMs = 60_000,
): Promise<EventSummary> {
  const worker = runningWorker(motoEndpoint, wired);
  const settled = worker.settled(timeoutMs).then(
    () => undefined,
    (error: unknown) => error,
  );
  const failure = await settled;
  const summary = await worker.stop();
  if (failure) throw failure;
  return summary;
}

/** moto and the built policy for a spec file, with a fresh account and state file per test. */
export function adapterSuite() {
  const t = {} as { moto: MotoServer; engine: PolicyEngine; store: SqliteStateStore };
  beforeAll(async () => {
    [t.moto, t.engine] = await Promise.all([startMotoServer(), builtPolicyEngine()]);
  }, 60_000);
  afterAll(async () => {
    await t.moto?.stop();
  });
  beforeEach(async () => {
    await t.moto.reset();
    t.store = await tempStore();
  });
  afterEach(async () => {
    await t.store.close();
  });
  return t;
}
