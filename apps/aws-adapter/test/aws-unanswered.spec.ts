// `drift-detective-aws` as users run it when AWS misbehaves: real processes,
// the SDK's default chain, and a fault proxy in front of moto_server as
// AWS_ENDPOINT_URL that answers garbage or nothing at all. Every failure is
// one line and exit 2; every call ends within its timeouts; SIGTERM and
// Ctrl-C stop a sweep at once, and the next run resumes where it stopped.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqliteStateStore } from '@drift-detective/findings';
import {
  ACCOUNT,
  bucketFindings,
  configEventPath,
  queueEmpty,
  REGION,
  securityHubFindings,
  seedAccount,
  TEST_CREDENTIALS as credentials,
} from '@drift-detective/provider-aws/testing';
import {
  faults,
  faultsFrom,
  startFaultProxy,
  startMotoServer,
  type FaultFrom,
  type FaultProxy,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adapter, failureLines, startAdapter } from './adapter-process.js';

let moto: MotoServer;
let proxy: FaultProxy;
let env: NodeJS.ProcessEnv;
/** The fault for every call of an operation from its n-th on (0-based, retries counted). */
let planned: Record<string, FaultFrom> = {};

beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  planned = {};
  proxy = await startFaultProxy({
    target: moto.endpoint,
    plan: faultsFrom(() => planned),
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-aws-unanswered-'));
  // Only the SDK's standard variables: every call goes through the proxy.
  env = {
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    DRIFT_STATE_PATH: path.join(dir, 'state.db'),
    DRIFT_AWS_HOME_REGION: REGION,
    LOG_LEVEL: 'info',
  };
});
afterEach(async () => {
  await proxy.stop();
});

/** stderr of a failed run: JSON log lines, then the failure on a line of its own, and nothing else. */
function expectOneLineFailure(stderr: string, failure: RegExp): void {
  const { last, others } = failureLines(stderr);
  expect(last).toMatch(failure);
  for (const line of others) expect(JSON.parse(line)).toHaveProperty('level');
  expect(stderr).not.toMatch(/^\s+at /m);
  // Node prints "(node:PID) XWarning: …"; the AWS SDK names NodeVersionSupportWarning.
  expect(stderr).not.toMatch(/\(node:\d+\) \w*Warning|NodeVersionSupportWarning/);
}

async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const reached =
  (operation: string, index = 0) =>
  () =>
    proxy.requests.some((r) => r.operation === operation && r.index >= index);

describe('drift-detective-aws sweep against an AWS endpoint answering garbage', () => {
  it.each([
    {
      what: '200 `not json`',
      operation: 'DescribeConfigurationRecorders',
      fault: faults.garbage('not json'),
      line: /^drift-detective: aws sweep failed: AwsAnswerError: ConfigService DescribeConfigurationRecorders answered HTTP 200 with a body the SDK cannot read \(SyntaxError: .*\)$/,
    },
    {
      what: 'an HTML 500',
      operation: 'ListDiscoveredResources',
      fault: faults.garbage(
        '<html><body><h1>500 Internal Server Error</h1></body></html>',
        500,
        'text/html',
      ),
      line: /^drift-detective: aws sweep failed: AwsAnswerError: ConfigService ListDiscoveredResources answered HTTP 500 with a body the SDK cannot read/,
    },
    {
      what: 'a text timestamp where the protocol has epoch seconds',
      operation: 'BatchGetResourceConfig',
      fault: faults.garbage(
        JSON.stringify({
          baseConfigurationItems: [
            {
              resourceType: 'AWS::S3::Bucket',
              resourceId: 'open-bucket',
              configurationItemCaptureTime: '2026-01-01T00:00:00Z',
            },
          ],
        }),
      ),
      line: /^drift-detective: aws sweep failed: AwsAnswerError: ConfigService BatchGetResourceConfig answered HTTP 200 with a body the SDK cannot read \(TypeError: Expected real number, got implicit NaN\)$/,
    },
  ])(
    '$what: exit 2, and the last stderr line says so on its own',
    async (c) => {
      await seedAccount(moto.endpoint);
      planned = { [c.operation]: { from: 0, fault: c.fault } };

      const run = await adapter(['sweep'], { env });

      expect(run.code).toBe(2);
      expectOneLineFailure(run.stderr, c.line);
    },
    60_000,
  );
});

describe('drift-detective-aws sweep against an AWS endpoint that never answers', () => {
  it('fails within its timeouts with one line and exit 2', async () => {
    planned = { '*': { from: 0, fault: faults.silent() } };

    const started = Date.now();
    const run = await adapter(['sweep', '--request-timeout-ms', '400'], { env });

    // Three attempts of 0.4 s with the SDK's backoff between them, after the process starts.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.code).toBe(2);
    expectOneLineFailure(
      run.stderr,
      /^drift-detective: aws sweep failed: AwsTimeoutError: STS GetCallerIdentity got no answer in time \(3 attempts\): .*400 ms/,
    );
    expect(proxy.requests.filter((r) => r.operation === 'GetCallerIdentity')).toHaveLength(3);
  }, 30_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s while DescribeConfigurationRecorders hangs ends the process within 2 s, exit 2',
    async (signal) => {
      await seedAccount(moto.endpoint);
      planned = { DescribeConfigurationRecorders: { from: 0, fault: faults.silent() } };
      const sweep = startAdapter(['sweep'], { env });
      try {
        await until('the hanging call', reached('DescribeConfigurationRecorders'));
        const signalled = Date.now();
        sweep.child.kill(signal);
        const { code, at } = await sweep.exited;

        expect(at - signalled).toBeLessThan(2_000);
        expect(code).toBe(2);
        expectOneLineFailure(
          sweep.stderr(),
          new RegExp(
            `^aws sweep stopped by ${signal}: incomplete, nothing resolved as deleted; the next run resumes after the last saved page$`,
          ),
        );
      } finally {
        sweep.child.kill('SIGKILL');
      }
    },
    60_000,
  );

  it('SIGTERM mid-sweep keeps the cursor: the next run resumes after the last saved page', async () => {
    await seedAccount(moto.endpoint);
    // Two types listed and saved; the third listing hangs.
    planned = { ListDiscoveredResources: { from: 2, fault: faults.silent() } };
    const sweep = startAdapter(['sweep'], { env });
    try {
      await until('the third listing', reached('ListDiscoveredResources', 2));
      sweep.child.kill('SIGTERM');
      const { code } = await sweep.exited;
      expect(code).toBe(2);
    } finally {
      sweep.child.kill('SIGKILL');
    }
    const state = new SqliteStateStore(env['DRIFT_STATE_PATH']!);
    const saved = await state.sweepProgress(`aws/${ACCOUNT}/${REGION}`);
    await state.close();
    expect(saved?.cursor).toEqual(expect.any(String));

    planned = {};
    const next = await adapter(['sweep'], { env });
    expect(next.code).toBe(0);
    const started = next.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; resumedAfter?: string | null })
      .find((log) => log.msg === 'sweep started');
    expect(started?.resumedAfter).toBe(saved?.cursor);
    expect(failureLines(next.stderr).last).toMatch(
      /^aws sweep us-east-1 \(123456789012\): \d+ resources in \d+ pages, 0 resolved as deleted; findings: \d+ opened, 0 updated, 0 resolved, 0 reopened; 0 records skipped$/,
    );
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'open-bucket')).toHaveLength(1);
  }, 60_000);
});

describe('drift-detective-aws worker with AWS_ENDPOINT_URL', () => {
  it('sends SQS calls to the configured endpoint, not to the queue URL host, and prints no SDK warning', async () => {
    // moto names queues by its own address: the queue URL's host is moto, not the endpoint.
    const { queueUrl, putChange } = await configEventPath(moto.endpoint);
    expect(new URL(queueUrl).origin).not.toBe(proxy.endpoint);
    await putChange('routed-bucket', false);
    const worker = startAdapter(['worker', '--queue-url', queueUrl], { env });
    const sqs = new SQSClient({ endpoint: moto.endpoint, region: REGION, credentials });
    try {
      await until('the event to be handled', () => queueEmpty(sqs, queueUrl));
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    const sqsCalls = new Set(
      proxy.requests.filter((r) => r.service === 'sqs').map((r) => r.operation),
    );
    expect([...sqsCalls]).toEqual(expect.arrayContaining(['ReceiveMessage', 'DeleteMessage']));
    expect(worker.stderr()).not.toMatch(/differs from SQSClient resolved endpoint/);
    expect(worker.stderr()).toMatch(/aws worker stopped: 1 acked/);
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'routed-bucket')).toHaveLength(
      1,
    );
  }, 60_000);
});
