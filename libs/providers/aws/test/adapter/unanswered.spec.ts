// The adapter when AWS answers what the SDK cannot read, or nothing at all:
// a fault proxy in front of moto_server answers garbage or holds the request.
// Each failure must name the call (no SyntaxError or TypeError, which would
// read as a bug of ours), every call must end within its timeouts, and a stop
// must cut the call in flight, leaving the sweep to resume where it was.
import type { SqliteStateStore } from '@drift-detective/findings';
import { isEnvironmentFailure } from '@drift-detective/pipeline';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import {
  builtPolicyEngine,
  faults,
  faultsFrom,
  startFaultProxy,
  startMotoServer,
  type FaultFrom,
  type FaultProxy,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlagValues } from '../../src/adapter/config.js';
import { awsSweep } from '../../src/adapter/sweep.js';
import { AwsAnswerError, AwsTimeoutError } from '../../src/sdk/call-errors.js';
import { SecurityHubPublisher } from '../../src/securityhub/publisher.js';
import { ACCOUNT, REGION, securityHubFindings, seedAccount } from '../../src/testing/index.js';
import { adapter, tempStore } from './harness.js';

let moto: MotoServer;
let engine: PolicyEngine;
let proxy: FaultProxy;
let store: SqliteStateStore;
/** The fault for every call of an operation from its n-th on (0-based, retries counted). */
let planned: Record<string, FaultFrom> = {};
const plan = faultsFrom(() => planned);

beforeAll(async () => {
  [moto, engine] = await Promise.all([startMotoServer(), builtPolicyEngine()]);
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  planned = {};
  proxy = await startFaultProxy({ target: moto.endpoint, plan });
  store = await tempStore();
  await seedAccount(moto.endpoint);
});
afterEach(async () => {
  await store.close();
  await proxy.stop();
});

const SWEEP_ID = `aws/${ACCOUNT}/${REGION}`;

/** A sweep through the proxy; its clients are destroyed when it ends. */
async function sweep(flags: FlagValues = {}, signal?: AbortSignal) {
  const wired = adapter(proxy.endpoint, engine, store, flags);
  const publisher = new SecurityHubPublisher({
    clientFor: (region, account) => wired.clients.securityHub(region, account),
    homeRegion: REGION,
    signal,
  });
  try {
    return await awsSweep({ ...wired, deps: { ...wired.deps, publisher }, signal });
  } finally {
    wired.clients.destroy();
  }
}

const failure = (run: Promise<unknown>) =>
  run.then(
    () => {
      throw new Error('expected the sweep to fail');
    },
    (error: unknown) => error as Error,
  );

/** Waits until the proxy holds the `index`-th call of an operation. */
async function held(operation: string, index = 0): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!proxy.requests.some((r) => r.operation === operation && r.index >= index)) {
    if (Date.now() > deadline) throw new Error(`no ${operation} call ${index} reached the proxy`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const item = {
  resourceType: 'AWS::S3::Bucket',
  resourceId: 'open-bucket',
  configurationItemCaptureTime: '2026-01-01T00:00:00Z',
};

describe('a sweep against an AWS endpoint answering garbage', () => {
  it.each([
    {
      what: '200 `not json`',
      operation: 'DescribeConfigurationRecorders',
      fault: faults.garbage('not json'),
      message:
        /^ConfigService DescribeConfigurationRecorders answered HTTP 200 with a body the SDK cannot read \(SyntaxError: .*not valid JSON\)$/,
      status: 200,
    },
    {
      what: 'an HTML 500 (retried by the SDK first)',
      operation: 'ListDiscoveredResources',
      fault: faults.garbage('<html><body>Internal error</body></html>', 500, 'text/html'),
      message:
        /^ConfigService ListDiscoveredResources answered HTTP 500 with a body the SDK cannot read/,
      status: 500,
    },
    {
      what: 'a text timestamp where awsJson has epoch seconds',
      operation: 'BatchGetResourceConfig',
      fault: faults.garbage(JSON.stringify({ baseConfigurationItems: [item] })),
      message:
        /^ConfigService BatchGetResourceConfig answered HTTP 200 with a body the SDK cannot read \(TypeError: Expected real number, got implicit NaN\)$/,
      status: 200,
    },
    {
      what: 'JSON of another shape (a list that is a string)',
      operation: 'DescribeConfigurationRecorders',
      fault: faults.garbage(JSON.stringify({ ConfigurationRecorders: 'all of them' })),
      message:
        /^ConfigService DescribeConfigurationRecorders answered ConfigurationRecorders that is not a list$/,
      status: undefined,
    },
    {
      what: 'a listing whose token is no string',
      operation: 'ListDiscoveredResources',
      fault: faults.garbage(JSON.stringify({ resourceIdentifiers: [], nextToken: 7 })),
      message: /^ConfigService ListDiscoveredResources answered nextToken that is not a string$/,
      status: undefined,
    },
  ])(
    '$what: an AwsAnswerError naming the call, on one line',
    async (c) => {
      planned = { [c.operation]: { from: 0, fault: c.fault } };

      const error = await failure(sweep());

      expect(error).toBeInstanceOf(AwsAnswerError);
      expect(error.message).toMatch(c.message);
      expect(error.message).not.toMatch(/\n/);
      expect(isEnvironmentFailure(error)).toBe(true);
      expect((error as AwsAnswerError).$metadata.httpStatusCode).toBe(c.status);
    },
    30_000,
  );

  it('names an STS answer whose account is no account id', async () => {
    planned = {
      GetCallerIdentity: {
        from: 0,
        fault: faults.garbage(
          '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1.5e308</Account>' +
            '</GetCallerIdentityResult></GetCallerIdentityResponse>',
        ),
      },
    };

    const error = await failure(sweep());

    expect(error).toBeInstanceOf(AwsAnswerError);
    expect(error.message).toMatch(
      /^STS GetCallerIdentity answered Account .* in us-east-1, which is no account id \(12 digits\)$/,
    );
  });
});

describe('a sweep against an AWS endpoint that never answers', () => {
  it('fails within its request timeout on every attempt, naming the call', async () => {
    planned = { DescribeConfigurationRecorders: { from: 0, fault: faults.silent() } };

    const started = Date.now();
    const error = await failure(sweep({ requestTimeoutMs: '300' }));

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(AwsTimeoutError);
    expect(error.message).toMatch(
      /^ConfigService DescribeConfigurationRecorders got no answer in time \(3 attempts\): .*300 ms/,
    );
    expect(isEnvironmentFailure(error)).toBe(true);
    expect(
      proxy.requests.filter((r) => r.operation === 'DescribeConfigurationRecorders'),
    ).toHaveLength(3);
  }, 30_000);

  it('a stop cuts the hanging call at once, long before its timeout', async () => {
    planned = { DescribeConfigurationRecorders: { from: 0, fault: faults.silent() } };
    const stop = new AbortController();

    const run = failure(sweep({}, stop.signal));
    await held('DescribeConfigurationRecorders');
    const stoppedAt = Date.now();
    stop.abort('SIGTERM');
    const error = await run;

    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
    expect(error.name).toBe('AbortError');
  }, 30_000);

  it.each([
    ['a listing', 'ListDiscoveredResources', 2],
    ['a Security Hub import', 'BatchImportFindings', 1],
  ])(
    'a stop during %s keeps the last saved page: the next run resumes there and loses nothing',
    async (_, operation, from) => {
      planned = { [operation]: { from, fault: faults.silent() } };
      const stop = new AbortController();

      const run = failure(sweep({}, stop.signal));
      await held(operation, from);
      stop.abort('SIGTERM');
      // Cut in flight: the call throws AbortError, or the publisher names each finding it cut.
      expect(`${(await run).name}: ${(await run).message}`).toMatch(/AbortError/);
      const saved = await store.sweepProgress(SWEEP_ID);
      expect(saved?.cursor).toEqual(expect.any(String));

      planned = {};
      const [resumed] = await sweep();
      expect(resumed).toMatchObject({ completed: true, resumedAfter: saved?.cursor });
      expect(await store.unpublished()).toEqual([]);
      const findings = await securityHubFindings(moto.endpoint);
      expect(findings.filter((f) => f.GeneratorId === 'DD-IAM-001')).toHaveLength(1);
      expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    },
    60_000,
  );
});
