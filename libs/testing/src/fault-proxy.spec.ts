import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  PutConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import {
  BatchImportFindingsCommand,
  EnableSecurityHubCommand,
  GetFindingsCommand,
  LimitExceededException,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  combinePlans,
  failFirst,
  faults,
  faultsFrom,
  noFaults,
  sequence,
  startFaultProxy,
  type FaultFrom,
  type FaultPlan,
  type FaultProxy,
  type RequestInfo,
} from './fault-proxy.js';
import { startMotoServer, type MotoServer } from './moto-server.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const clientConfig = (endpoint: string, maxAttempts?: number) => ({
  endpoint,
  region,
  credentials,
  ...(maxAttempts === undefined ? {} : { maxAttempts }),
});

describe('plan helpers', () => {
  const request = (operation: string, index: number): RequestInfo & { index: number } => ({
    service: 'sqs',
    operation,
    protocol: 'json',
    method: 'POST',
    path: '/',
    index,
  });

  it('failFirst faults the first n requests of the matching operation only', () => {
    const plan = failFirst(2, faults.throttle(), { operation: 'SendMessage' });
    expect([0, 1, 2].map((i) => plan(request('SendMessage', i)))).toEqual([
      faults.throttle(),
      faults.throttle(),
      null,
    ]);
    expect(plan(request('CreateQueue', 0))).toBeNull();
    expect(
      failFirst(1, faults.dropBeforeForward(), { service: 'config' })(request('X', 0)),
    ).toBeNull();
  });

  it('sequence plays its steps by index, and combinePlans takes the first fault', () => {
    const plan = combinePlans(
      sequence([null, faults.serverError(503)], { operation: 'A' }),
      failFirst(1, faults.delay(5)),
    );
    expect(plan(request('A', 0))).toEqual(faults.delay(5));
    expect(plan(request('A', 1))).toEqual(faults.serverError(503));
    expect(plan(request('A', 2))).toBeNull();
    expect(plan(request('B', 0))).toEqual(faults.delay(5));
  });

  it("garbage answers 200 in the protocol's content type unless told otherwise; silent has no options", () => {
    expect(faults.garbage('not json')).toEqual({ kind: 'garbage', status: 200, body: 'not json' });
    expect(faults.garbage('<html/>', 500, 'text/html')).toEqual({
      kind: 'garbage',
      status: 500,
      body: '<html/>',
      contentType: 'text/html',
    });
    expect(faults.silent()).toEqual({ kind: 'silent' });
  });
});

describe('startFaultProxy against moto', () => {
  let moto: MotoServer;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    moto = await startMotoServer();
  }, 60_000);
  afterAll(() => moto.stop());
  beforeEach(() => moto.reset());
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  const through = async (plan: FaultPlan): Promise<FaultProxy> =>
    (proxy = await startFaultProxy({ target: moto.endpoint, plan }));

  /** A queue created straight on moto, and every body in it, read straight from moto. */
  async function queueOnMoto(): Promise<{ url: string; bodies: () => Promise<string[]> }> {
    const direct = new SQSClient(clientConfig(moto.endpoint));
    const { QueueUrl } = await direct.send(new CreateQueueCommand({ QueueName: 'orders' }));
    const url = QueueUrl ?? '';
    return {
      url,
      bodies: async () => {
        const { Messages = [] } = await direct.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
        );
        return Messages.map((m) => m.Body ?? '');
      },
    };
  }

  const sendMessages = (p: FaultProxy) =>
    p.requests.filter((r) => r.service === 'sqs' && r.operation === 'SendMessage');

  it('answers a throttled SQS call so the SDK retries it and succeeds', async () => {
    const queue = await queueOnMoto();
    const p = await through(failFirst(1, faults.throttle(), { operation: 'SendMessage' }));
    const sqs = new SQSClient(clientConfig(p.endpoint));

    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'hello' }));

    expect(p.injected).toEqual([
      { service: 'sqs', operation: 'SendMessage', index: 0, fault: faults.throttle() },
    ]);
    expect(sendMessages(p).map((r) => r.fault)).toEqual([faults.throttle(), null]);
    expect(await queue.bodies()).toEqual(['hello']);
  });

  it('shapes the SQS throttle as the JSON protocol ThrottlingException', async () => {
    const queue = await queueOnMoto();
    const p = await through(failFirst(1, faults.throttle()));
    const sqs = new SQSClient(clientConfig(p.endpoint, 1));

    const error = await sqs
      .send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await queue.bodies()).toEqual([]);
  });

  it('throttles Security Hub REST-JSON with 429 and the SDK names it a throttling error', async () => {
    const direct = new SecurityHubClient(clientConfig(moto.endpoint));
    await direct.send(new EnableSecurityHubCommand({}));
    const p = await through(
      sequence([faults.throttle(), faults.throttle('LimitExceededException')], {
        operation: 'BatchImportFindings',
      }),
    );
    const hub = new SecurityHubClient(clientConfig(p.endpoint, 1));
    const importOne = () =>
      hub
        .send(new BatchImportFindingsCommand({ Findings: [finding('f-1')] }))
        .catch((e: unknown) => e);

    expect(await importOne()).toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
    // The override reaches the operation's modeled throttling exception class.
    expect(await importOne()).toBeInstanceOf(LimitExceededException);
    expect((await direct.send(new GetFindingsCommand({}))).Findings).toEqual([]);
    // The third call passes through, so the route to moto really works.
    await hub.send(new BatchImportFindingsCommand({ Findings: [finding('f-1')] }));
    expect((await direct.send(new GetFindingsCommand({}))).Findings?.map((f) => f.Id)).toEqual([
      'f-1',
    ]);
  });

  it('dropAfterForward: the caller sees a failure although moto did the work', async () => {
    const queue = await queueOnMoto();
    const p = await through(failFirst(1, faults.dropAfterForward(), { operation: 'SendMessage' }));
    const sqs = new SQSClient(clientConfig(p.endpoint, 1));

    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'sent-once' })),
    ).rejects.toThrow();

    expect(await queue.bodies()).toEqual(['sent-once']);
  });

  it('dropBeforeForward: moto never sees the request, so the retry sends it exactly once', async () => {
    const queue = await queueOnMoto();
    const p = await through(failFirst(1, faults.dropBeforeForward(), { operation: 'SendMessage' }));
    const sqs = new SQSClient(clientConfig(p.endpoint));

    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'once' }));

    expect(sendMessages(p).map((r) => r.fault)).toEqual([faults.dropBeforeForward(), null]);
    expect(await queue.bodies()).toEqual(['once']);
  });

  it('serves Config a 503 ServiceUnavailable that the SDK retries', async () => {
    const direct = new ConfigServiceClient(clientConfig(moto.endpoint));
    await direct.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: {
          name: 'default',
          roleARN: 'arn:aws:iam::123456789012:role/config',
        },
      }),
    );
    const p = await through(
      failFirst(2, faults.serverError(503), { operation: 'DescribeConfigurationRecorders' }),
    );

    const once = new ConfigServiceClient(clientConfig(p.endpoint, 1));
    await expect(once.send(new DescribeConfigurationRecordersCommand({}))).rejects.toMatchObject({
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503 },
    });
    const retrying = new ConfigServiceClient(clientConfig(p.endpoint));
    const { ConfigurationRecorders } = await retrying.send(
      new DescribeConfigurationRecordersCommand({}),
    );

    expect(ConfigurationRecorders?.map((r) => r.name)).toEqual(['default']);
    expect(p.requests.map((r) => [r.service, r.operation, r.index, r.fault])).toEqual([
      ['config', 'DescribeConfigurationRecorders', 0, faults.serverError(503)],
      ['config', 'DescribeConfigurationRecorders', 1, faults.serverError(503)],
      ['config', 'DescribeConfigurationRecorders', 2, null],
    ]);
  });

  it('delays a request, then forwards it', async () => {
    const queue = await queueOnMoto();
    const p = await through(failFirst(1, faults.delay(400)));
    const sqs = new SQSClient(clientConfig(p.endpoint, 1));

    const started = Date.now();
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'late' }));

    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(await queue.bodies()).toEqual(['late']);
  });

  it('garbage: a 200 that is not JSON fails the SDK deserializer, and moto never sees the request', async () => {
    const queue = await queueOnMoto();
    const p = await through(failFirst(1, faults.garbage('not json'), { operation: 'SendMessage' }));
    const sqs = new SQSClient(clientConfig(p.endpoint));

    const error = await sqs
      .send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'lost?' }))
      .catch((e: unknown) => e);

    // A 200 is no retryable failure: one request, the SDK's deserialization error, the status kept.
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(sendMessages(p).map((r) => r.fault)).toEqual([faults.garbage('not json')]);
    expect(await queue.bodies()).toEqual([]);
  });

  it('garbage: an HTML 500 is retried by the SDK as a server error, then fails unread', async () => {
    const p = await through(
      failFirst(2, faults.garbage('<html><body>502 Bad Gateway</body></html>', 500, 'text/html'), {
        operation: 'DescribeConfigurationRecorders',
      }),
    );
    const config = new ConfigServiceClient(clientConfig(p.endpoint, 2));

    const error = await config
      .send(new DescribeConfigurationRecordersCommand({}))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ $metadata: { httpStatusCode: 500, attempts: 2 } });
    expect((error as Error).message).toMatch(/is not valid JSON/);
    expect(p.requests.map((r) => r.fault?.kind)).toEqual(['garbage', 'garbage']);
  });

  it('garbage: a text timestamp where awsJson has epoch seconds fails the SDK deserializer', async () => {
    const item = {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'b',
      configurationItemCaptureTime: '2026-01-01T00:00:00Z',
    };
    const p = await through(
      failFirst(1, faults.garbage(JSON.stringify({ baseConfigurationItems: [item] })), {
        operation: 'BatchGetResourceConfig',
      }),
    );
    const config = new ConfigServiceClient(clientConfig(p.endpoint, 1));

    await expect(
      config.send(
        new BatchGetResourceConfigCommand({
          resourceKeys: [{ resourceType: 'AWS::S3::Bucket', resourceId: 'b' }],
        }),
      ),
    ).rejects.toThrow(/Expected real number/);
  });

  it('garbage: query-protocol callers get it as text/xml, as their answers come', async () => {
    const p = await through(failFirst(1, faults.garbage('<html>sign in</html>')));

    const answer = await stsGetCallerIdentity(p.endpoint);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/xml');
    expect(await answer.text()).toBe('<html>sign in</html>');
  });

  it("silent: the request never gets an answer; only the caller's timeout ends it", async () => {
    const queue = await queueOnMoto();
    const p = await through(failFirst(1, faults.silent(), { operation: 'SendMessage' }));
    const sqs = new SQSClient({
      ...clientConfig(p.endpoint, 1),
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });

    const started = Date.now();
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'never' })),
    ).rejects.toMatchObject({ name: 'TimeoutError' });

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sendMessages(p).map((r) => r.fault)).toEqual([faults.silent()]);
    expect(await queue.bodies()).toEqual([]);
  });

  it('silent: stop() closes the connections it holds, so nothing waits on it', async () => {
    const p = await through(() => faults.silent());
    const pending = fetch(p.endpoint, { method: 'POST', body: 'x' }).then(
      () => 'answered',
      () => 'closed',
    );
    for (let i = 0; p.requests.length === 0 && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    await p.stop();
    proxy = undefined;

    expect(await pending).toBe('closed');
  });

  it('identifies service and operation for JSON, REST-JSON and query requests', async () => {
    const p = await through(noFaults);
    await new SQSClient(clientConfig(p.endpoint)).send(new CreateQueueCommand({ QueueName: 'q' }));
    const hub = new SecurityHubClient(clientConfig(p.endpoint));
    await hub.send(new EnableSecurityHubCommand({}));
    await hub.send(new GetFindingsCommand({}));
    const sts = await stsGetCallerIdentity(p.endpoint);

    expect(sts.status).toBe(200);
    expect(p.requests.map((r) => [r.protocol, r.service, r.operation, r.index])).toEqual([
      ['json', 'sqs', 'CreateQueue', 0],
      ['rest-json', 'securityhub', 'EnableSecurityHub', 0],
      ['rest-json', 'securityhub', 'GetFindings', 0],
      ['query', 'sts', 'GetCallerIdentity', 0],
    ]);
    expect(p.injected).toEqual([]);
  });

  it('answers query-protocol faults as an XML ErrorResponse', async () => {
    const p = await through(
      sequence([faults.throttle(), faults.serverError()], { operation: 'GetCallerIdentity' }),
    );

    const throttled = await stsGetCallerIdentity(p.endpoint);
    expect(throttled.status).toBe(400);
    expect(await throttled.text()).toMatch(
      /^<ErrorResponse><Error><Type>Sender<\/Type><Code>Throttling<\/Code>/,
    );
    const failed = await stsGetCallerIdentity(p.endpoint);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toContain('<Code>InternalFailure</Code>');
    expect((await stsGetCallerIdentity(p.endpoint)).status).toBe(200);
  });
});

/** A query-protocol call: moto routes it to STS by the signature's credential scope. */
function stsGetCallerIdentity(endpoint: string): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      Authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sts/aws4_request',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
}

function finding(id: string): AwsSecurityFinding {
  const now = new Date().toISOString();
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: `arn:aws:securityhub:${region}:123456789012:product/123456789012/default`,
    GeneratorId: 'drift-detective',
    AwsAccountId: '123456789012',
    Types: ['Software and Configuration Checks'],
    CreatedAt: now,
    UpdatedAt: now,
    Severity: { Label: 'LOW' },
    Title: 'fault proxy test',
    Description: 'fault proxy test',
    Resources: [{ Type: 'AwsSqsQueue', Id: 'arn:aws:sqs:us-east-1:123456789012:orders' }],
  };
}

describe('faultsFrom', () => {
  it("faults an operation from its n-th call on, '*' for the others, as planned at each request", () => {
    let planned: Record<string, FaultFrom> = {
      BatchImportFindings: { from: 1, fault: faults.serverError(503) },
      '*': { from: 0, fault: faults.silent() },
    };
    const plan = faultsFrom(() => planned);
    const call = (operation: string, index: number) =>
      plan({ operation, index } as Parameters<FaultPlan>[0]);
    expect(call('BatchImportFindings', 0)).toBeNull();
    expect(call('BatchImportFindings', 1)).toEqual({ kind: 'serverError', status: 503 });
    expect(call('ListDiscoveredResources', 0)).toEqual({ kind: 'silent' });
    planned = {};
    expect(call('BatchImportFindings', 5)).toBeNull();
  });
});
