// Sweeps sharded on the queue: `aws sweep --enqueue` sends one request per
// region to the workers' SQS queue (moto); workers on one PostgreSQL state
// take them. A worker killed with SIGKILL in the middle of a shard leaves its
// checkpoint in the shared state, and the worker that takes the request next
// resumes after it; each shard resolves only what is in its own region.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { openStateStore, type StateStore } from '@drift-detective/findings';
import { sweepRequestText } from '@drift-detective/pipeline';
import {
  ACCOUNT,
  bucketFindings,
  configEventPath,
  queueEmpty,
  REGION,
  securityHubFindings,
  seedAccount,
  seedRegion,
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
import {
  adapter,
  adapterEnv,
  startWorker,
  stopWorker,
  waitFor,
  type Worker,
} from './adapter-process.js';

const OTHER_REGION = 'eu-west-1';

let moto: MotoServer;
let postgres: PostgresServer;
/** AWS Config's BatchGetResourceConfig answers slowly: a shard takes seconds, to be cut. */
let slowConfig: FaultProxy;
let sqs: SQSClient;

beforeAll(async () => {
  [moto, postgres] = await Promise.all([startMotoServer(), startPostgres()]);
  slowConfig = await startFaultProxy({
    target: moto.endpoint,
    plan: (r) => (r.operation === 'BatchGetResourceConfig' ? faults.delay(700) : null),
  });
  sqs = new SQSClient({ endpoint: moto.endpoint, region: REGION, credentials });
}, 60_000);
afterAll(async () => {
  sqs?.destroy();
  await slowConfig?.stop();
  await Promise.all([moto?.stop(), postgres?.stop()]);
});

/** The JSON log lines of a worker with this message. */
const logged = (worker: Worker, msg: string) =>
  worker
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['msg'] === msg);

const ACTIVE = (all: Awaited<ReturnType<typeof securityHubFindings>>, bucket: string) =>
  bucketFindings(all, bucket).map((f) => [f.RecordState, f.Compliance?.Status]);

describe('sweeps sharded on the SQS queue', () => {
  it('any worker takes a shard, a killed one is resumed from its checkpoint, each resolves only its region', async () => {
    await seedAccount(moto.endpoint);
    const far = await seedRegion(moto.endpoint, OTHER_REGION, 'far-open-bucket');
    const queue = await configEventPath(moto.endpoint, 3);
    const stateUrl = await postgres.createDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-sharded-'));
    const env = {
      ...adapterEnv(slowConfig.endpoint, dir, credentials, REGION),
      DRIFT_STATE_PATH: '',
      DRIFT_STATE_URL: stateUrl,
      DRIFT_AWS_REGIONS: `${REGION},${OTHER_REGION}`,
      DRIFT_AWS_HOME_REGION: REGION,
    };

    // The schedule's part: one request per region, nothing swept here.
    const enqueued = await adapter(['sweep', '--enqueue', '--queue-url', queue.queueUrl], {
      env,
    });
    expect(enqueued.stderr.split('\n').at(-2)).toBe(
      `aws sweep: 2 sweep requests sent to ${queue.queueUrl} (${REGION}, ${OTHER_REGION})`,
    );
    expect(enqueued.code).toBe(0);
    expect(await securityHubFindings(moto.endpoint)).toEqual([]);

    // One worker takes a shard; killed once the shard saved a page, before it ends.
    const state: StateStore = await openStateStore(stateUrl, { command: 'test', readOnly: true });
    let first: Worker | undefined;
    let cut: { sweepId: string; cursor: string } | undefined;
    try {
      first = startWorker(queue.queueUrl, ['--concurrency', '1'], env);
      const worker = first;
      cut = await waitFor(
        'a shard to save a page',
        async () => {
          for (const region of [REGION, OTHER_REGION]) {
            const sweepId = `aws/${ACCOUNT}/${region}`;
            const saved = await state.sweepProgress(sweepId);
            if (saved?.cursor) return { sweepId, cursor: saved.cursor };
          }
          if (worker.child.exitCode !== null) throw new Error(worker.stderr());
          return undefined;
        },
        60_000,
      );
      first.child.kill('SIGKILL');
    } finally {
      await state.close();
    }
    const cutShard = cut.sweepId;
    expect(logged(first, 'sweep completed').map((e) => e['sweepId'])).not.toContain(cutShard);

    // Another worker (two of them) takes what was left: the cut shard after its visibility timeout.
    const others = [0, 1].map(() => startWorker(queue.queueUrl, ['--concurrency', '2'], env));
    await waitFor(
      'the queue to drain',
      async () => ((await queueEmpty(sqs, queue.queueUrl)) ? true : undefined),
      120_000,
    );
    expect((await Promise.all(others.map(stopWorker))).every((code) => code === 0)).toBe(true);
    const resumed = others.flatMap((w) => logged(w, 'sweep started'));
    // It resumes after a saved page (the one read above, or one saved before the kill landed).
    const cutResumed = resumed.filter((e) => e['sweepId'] === cutShard);
    expect(cutResumed.map((e) => typeof e['resumedAfter'])).toContain('string');
    const completed = [first, ...others].flatMap((w) => logged(w, 'sweep completed'));
    expect(completed.map((e) => e['sweepId']).sort()).toEqual([
      `aws/${ACCOUNT}/${OTHER_REGION}`,
      `aws/${ACCOUNT}/${REGION}`,
    ]);

    const hubs = async () => [
      ...(await securityHubFindings(moto.endpoint)),
      ...(await securityHubFindings(moto.endpoint, OTHER_REGION)),
    ];
    const swept = await hubs();
    expect(ACTIVE(swept, 'open-bucket')).toEqual([['ACTIVE', 'FAILED']]);
    expect(ACTIVE(swept, 'far-open-bucket')).toEqual([['ACTIVE', 'FAILED']]);
    expect(bucketFindings(swept, 'far-open-bucket')[0]?.Resources?.[0]?.Region).toBe(OTHER_REGION);
    // The admin role is global: only the home region's shard answers for it, once.
    expect(swept.filter((f) => f.GeneratorId === 'DD-IAM-001')).toHaveLength(1);
    expect(new Set(swept.map((f) => f.Id)).size).toBe(swept.length);

    // The far bucket deleted: a request for the home region alone must not resolve it…
    await far.removeBucket();
    const worker = startWorker(queue.queueUrl, [], env);
    const ask = (shard: string) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.queueUrl,
          MessageBody: sweepRequestText({ cloud: 'aws', shard }),
        }),
      );
    await ask(REGION);
    await waitFor(
      'the home shard',
      async () => ((await queueEmpty(sqs, queue.queueUrl)) ? true : undefined),
      60_000,
    );
    expect(ACTIVE(await hubs(), 'far-open-bucket')).toEqual([['ACTIVE', 'FAILED']]);
    // …its own region's request does; a request for a region outside the settings is refused.
    await ask(OTHER_REGION);
    await ask('ap-south-1');
    await waitFor(
      'both requests',
      async () => ((await queueEmpty(sqs, queue.queueUrl)) ? true : undefined),
      60_000,
    );
    expect(await stopWorker(worker)).toBe(0);
    expect(ACTIVE(await hubs(), 'far-open-bucket')).toEqual([['ARCHIVED', expect.any(String)]]);
    expect(ACTIVE(await securityHubFindings(moto.endpoint), 'open-bucket')).toEqual([
      ['ACTIVE', 'FAILED'],
    ]);
    const refused = logged(worker, 'sweep request refused: dead-lettered');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.['reason']).toBe(
      `ap-south-1: sweep request names a shard these settings do not sweep (they sweep: ${REGION}, ${OTHER_REGION})`,
    );
  }, 240_000);

  it('--enqueue without a queue is a usage error naming the setting', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-sharded-'));
    const run = await adapter(['sweep', '--enqueue'], {
      env: adapterEnv(moto.endpoint, dir, credentials, REGION),
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-2)).toMatch(
      /aws sweep --enqueue sends its requests to the workers' queue: --queue-url URL or DRIFT_AWS_QUEUE_URL/,
    );
  }, 30_000);
});
