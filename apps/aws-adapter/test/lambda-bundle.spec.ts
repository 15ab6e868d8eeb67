// The deployable artifact itself: the esbuild bundle in dist/lambda, run on the
// Lambda runtime's Node (22) with its built-in node:sqlite, every AWS call
// through the SDK's default chain to moto_server.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  bucketChangeEventText,
  bucketFindings,
  configEventPath,
  lambdaSqsRecord,
  REGION,
  scheduledEvent,
  securityHubFindings,
  seedAccount,
  TEST_CREDENTIALS,
} from '@drift-detective/provider-aws/testing';
import {
  faults,
  lambdaNodeBinary,
  startFaultProxy,
  startMotoServer,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const builtDir = path.resolve(import.meta.dirname, '..', 'dist', 'lambda');
const invoker = path.join(import.meta.dirname, 'invoke.mjs');
/**
 * The bundle runs from a copy outside the workspace, as from /var/task in
 * Lambda: nothing can be resolved from the workspace's node_modules there.
 */
let bundleDir: string;

let moto: MotoServer;
let sqs: SQSClient;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  bundleDir = path.join(await mkdtemp(path.join(tmpdir(), 'drift-task-')), 'task');
  await cp(builtDir, bundleDir, { recursive: true });
  moto = await startMotoServer();
  sqs = new SQSClient({ endpoint: moto.endpoint, region: REGION, credentials: TEST_CREDENTIALS });
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  // One state file across invocations, as an EFS mount keeps it across environments.
  const state = path.join(await mkdtemp(path.join(tmpdir(), 'drift-lambda-')), 'state.db');
  env = {
    PATH: process.env['PATH'],
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    DRIFT_STATE_PATH: state,
  };
});

/** Runs a handler in a fresh Node 22 process (a cold start) and returns its answer and logs. */
function invoke(handler: string, event: unknown): Promise<{ answer: unknown; logs: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      lambdaNodeBinary(),
      [invoker, path.join(bundleDir, 'index.mjs'), handler],
      { env, cwd: bundleDir },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${handler} failed: ${error.message}\n${stderr}`));
        const line = stdout.split('\n').find((l) => l.startsWith('ANSWER '));
        if (!line) return reject(new Error(`${handler} printed no answer:\n${stdout}${stderr}`));
        resolve({ answer: JSON.parse(line.slice('ANSWER '.length)), logs: `${stdout}${stderr}` });
      },
    );
    child.stdin?.end(JSON.stringify(event));
  });
}

async function receiveAll(queueUrl: string, expected: number) {
  const messages = [];
  while (messages.length < expected) {
    const answer = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages.push(...(answer.Messages ?? []));
  }
  return messages;
}

describe('the Lambda bundle', () => {
  it('is one module beside the policy wasm', async () => {
    expect((await readdir(builtDir)).sort()).toEqual(['index.mjs', 'policy.wasm']);
  });

  it('sqsHandler: the hotfix opens the finding, poison goes to the DLQ, the fix archives it', async () => {
    const { queueUrl, queueArn, dlqUrl, putChange } = await configEventPath(moto.endpoint);
    await putChange('acme-reports', false);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json' }));
    const batch = await receiveAll(queueUrl, 2);
    const opened = await invoke('sqsHandler', {
      Records: batch.map((m) => lambdaSqsRecord(m, queueArn)),
    });
    // Both handled: the finding published, the poison dead-lettered with its reason.
    expect(opened.answer).toEqual({ batchItemFailures: [] });
    // The native addon cannot travel in the bundle: the state lives in Node's own SQLite.
    expect(opened.logs).toContain('"stateDriver":"node:sqlite"');
    const [finding, ...more] = bucketFindings(
      await securityHubFindings(moto.endpoint),
      'acme-reports',
    );
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      Severity: { Label: 'HIGH' },
      RecordState: 'ACTIVE',
      Compliance: { Status: 'FAILED' },
    });
    const [dead] = await receiveAll(dlqUrl, 1);
    expect(dead?.Body).toBe('not json');

    await putChange('acme-reports', true);
    const fix = await receiveAll(queueUrl, 1);
    const fixed = await invoke('sqsHandler', {
      Records: fix.map((m) => lambdaSqsRecord(m, queueArn)),
    });
    expect(fixed.answer).toEqual({ batchItemFailures: [] });
    const after = bucketFindings(await securityHubFindings(moto.endpoint), 'acme-reports');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      Id: finding!.Id,
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
    });
  }, 90_000);

  it('sqsHandler with DRIFT_AWS_DLQ_URL: dead-letters without asking for the source queue URL', async () => {
    const { queueUrl, queueArn, dlqUrl } = await configEventPath(moto.endpoint);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json' }));
    const batch = await receiveAll(queueUrl, 1);
    // The least-privilege role: no sqs:GetQueueUrl on the source queue.
    const proxy = await startFaultProxy({
      target: moto.endpoint,
      plan: (request) =>
        request.operation === 'GetQueueUrl' ? faults.throttle('AccessDenied') : null,
    });
    try {
      env = { ...env, AWS_ENDPOINT_URL: proxy.endpoint, DRIFT_AWS_DLQ_URL: dlqUrl };
      const run = await invoke('sqsHandler', {
        Records: batch.map((m) => lambdaSqsRecord(m, queueArn)),
      });
      expect(run.answer).toEqual({ batchItemFailures: [] });
      expect(proxy.requests.map((r) => r.operation)).not.toContain('GetQueueUrl');
      const [dead] = await receiveAll(dlqUrl, 1);
      expect(dead?.Body).toBe('not json');
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('warns at a cold start when DRIFT_AWS_HOME_REGION is not set, naming the region used', async () => {
    const event = JSON.parse(bucketChangeEventText('home', false)) as unknown;
    const defaulted = await invoke('eventHandler', event);
    const warnings = defaulted.logs
      .split('\n')
      .filter((line) => line.includes('home region not set'))
      .map((line) => JSON.parse(line) as { level: number; homeRegion: string; msg: string });
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        homeRegion: REGION,
        msg: expect.stringMatching(
          /IAM \(global\) findings go to Security Hub in us-east-1; set DRIFT_AWS_HOME_REGION .*to the same region for every sweep and worker/,
        ),
      }),
    ]);
    env = { ...env, DRIFT_AWS_HOME_REGION: REGION };
    const set = await invoke('eventHandler', event);
    expect(set.answer).toEqual({ acked: true });
    expect(set.logs).not.toContain('home region not set');
  }, 60_000);

  it('eventHandler: an EventBridge event delivered to the function directly', async () => {
    const opened = await invoke('eventHandler', JSON.parse(bucketChangeEventText('direct', false)));
    expect(opened.answer).toEqual({ acked: true });
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'direct')).toEqual([
      expect.objectContaining({ RecordState: 'ACTIVE', Severity: { Label: 'HIGH' } }),
    ]);
    // Not a Config event, and no dead-letter queue: the invocation fails, so Lambda retries
    // it and then hands it to the function's on-failure destination. Nothing is published.
    await expect(invoke('eventHandler', { id: 'e-1', detail: 'nonsense' })).rejects.toThrow(
      /event e-1 not handled: .*NormalizeError/,
    );
    expect(await securityHubFindings(moto.endpoint)).toHaveLength(1);
  }, 60_000);

  it('sweepHandler: two scheduled sweeps, one finding each', async () => {
    await seedAccount(moto.endpoint);
    const first = await invoke('sweepHandler', {});
    expect(first.answer).toMatchObject({
      completed: true,
      sweeps: [expect.objectContaining({ region: REGION, account: '123456789012', skipped: 0 })],
    });
    const once = await securityHubFindings(moto.endpoint);
    expect(bucketFindings(once, 'open-bucket')).toHaveLength(1);
    const second = await invoke('sweepHandler', {});
    expect(second.answer).toMatchObject({ completed: true });
    // Each run says what happened to findings: all opened by the first, none changed by the second.
    const counts = (answer: unknown) =>
      (answer as { sweeps: { findings: Record<string, number> }[] }).sweeps[0]?.findings;
    expect(counts(first.answer)).toMatchObject({ new: once.length, updated: 0, resolved: 0 });
    expect(counts(second.answer)).toMatchObject({ new: 0, updated: 0, resolved: 0, reopened: 0 });
    const twice = await securityHubFindings(moto.endpoint);
    expect(twice.map((f) => f.Id).sort()).toEqual(once.map((f) => f.Id).sort());
    expect(new Set(twice.map((f) => f.Id)).size).toBe(twice.length);
  }, 90_000);

  it('sweepHandler with DRIFT_AWS_SWEEP_ENQUEUE sends a request per region; sqsHandler sweeps it, cut before the timeout and resumed', async () => {
    await seedAccount(moto.endpoint);
    const { queueUrl, queueArn } = await configEventPath(moto.endpoint);
    // Config answers slowly: the shard outlasts a short invocation.
    const slowConfig = await startFaultProxy({
      target: moto.endpoint,
      // Every page lists (ListDiscoveredResources) and reads (BatchGetResourceConfig).
      plan: (r) =>
        r.operation === 'ListDiscoveredResources' || r.operation === 'BatchGetResourceConfig'
          ? faults.delay(800)
          : null,
    });
    try {
      env = {
        ...env,
        AWS_ENDPOINT_URL: slowConfig.endpoint,
        DRIFT_AWS_SWEEP_ENQUEUE: 'true',
        DRIFT_AWS_QUEUE_URL: queueUrl,
        LOG_LEVEL: 'info',
      };
      const scheduled = await invoke(
        'handler',
        scheduledEvent(`arn:aws:events:${REGION}:123456789012:rule/drift-detective-sweep`),
      );
      expect(scheduled.answer).toEqual({ enqueued: [REGION] });
      expect(await securityHubFindings(moto.endpoint)).toEqual([]);
      const [request] = await receiveAll(queueUrl, 1);
      const record = lambdaSqsRecord(request!, queueArn);

      // 34 s left: the shard (ten type lists, 800 ms each at least) is stopped 30 s before the
      // end, after a few saved pages, and handed back.
      env = { ...env, INVOKE_TIMEOUT_MS: '34000' };
      const cut = await invoke('sqsHandler', { Records: [record] });
      expect(cut.answer).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
      expect(cut.logs).toContain('sweep request cut by the stop: handed back');
      expect(cut.logs).not.toContain('"msg":"sweep completed"');

      // Handed back at once (its visibility set to 0), not after the queue's 30 s: the next
      // receive gets it, and that invocation resumes after the saved page and completes it.
      const handedBackAt = Date.now();
      const [again] = await receiveAll(queueUrl, 1);
      expect(again?.MessageId).toBe(request!.MessageId);
      expect(Date.now() - handedBackAt).toBeLessThan(10_000);
      env = { ...env, INVOKE_TIMEOUT_MS: '300000' };
      const resumed = await invoke('sqsHandler', { Records: [lambdaSqsRecord(again!, queueArn)] });
      expect(resumed.answer).toEqual({ batchItemFailures: [] });
      expect(resumed.logs).toMatch(/"resumedAfter":"\{[^"]/);
      expect(resumed.logs).toContain('"msg":"sweep completed"');
      expect(bucketFindings(await securityHubFindings(moto.endpoint), 'open-bucket')).toHaveLength(
        1,
      );
    } finally {
      await slowConfig.stop();
    }
  }, 90_000);

  it('handler: one function serves the queue, the schedule and events delivered directly', async () => {
    await seedAccount(moto.endpoint);
    const scheduled = scheduledEvent(
      `arn:aws:events:${REGION}:123456789012:rule/drift-detective-sweep`,
    );
    const swept = await invoke('handler', scheduled);
    expect(swept.answer).toMatchObject({ completed: true });
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'open-bucket')).toHaveLength(1);

    const { queueUrl, queueArn, putChange } = await configEventPath(moto.endpoint);
    await putChange('queued', false);
    const batch = await receiveAll(queueUrl, 1);
    const queued = await invoke('handler', {
      Records: batch.map((m) => lambdaSqsRecord(m, queueArn)),
    });
    expect(queued.answer).toEqual({ batchItemFailures: [] });
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'queued')).toHaveLength(1);

    const direct = await invoke('handler', JSON.parse(bucketChangeEventText('direct', false)));
    expect(direct.answer).toEqual({ acked: true });
    // Neither a batch nor a schedule nor a Config event: refused, nothing published.
    const before = (await securityHubFindings(moto.endpoint)).length;
    await expect(invoke('handler', { Records: [{ eventSource: 'aws:s3' }] })).rejects.toThrow(
      /not handled/,
    );
    expect(await securityHubFindings(moto.endpoint)).toHaveLength(before);
  }, 120_000);
});
