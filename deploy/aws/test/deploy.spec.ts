// deploy/aws/template.yaml deployed to moto_server the documented way (package, then a
// stack), and a Config change event sent through what the stack created: the rule, the
// events queue, the function's handler with the function's own configuration, Security
// Hub; poison through the same path to the dead-letter queue.
//
// What moto cannot do, the test does in its place (docs/aws.md, "Deploy with
// CloudFormation"): moto skips AWS::SQS::QueuePolicy, and it cannot run the function
// (no Docker here), so the test receives from the deployed queue and invokes the
// deployed package's handler on Node 22 with the batch, as the event source mapping would.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import {
  ACCOUNT,
  bucketChangeDetail,
  bucketFindings,
  lambdaSqsRecord,
  putConfigItemChange,
  REGION,
  scheduledEvent,
  securityHubFindings,
  seedAccount,
  TEST_CREDENTIALS,
} from '@drift-detective/provider-aws/testing';
import {
  lambdaNodeBinary,
  startMotoServer,
  startPostgres,
  type MotoServer,
  type PostgresServer,
} from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientOptions,
  createSecret,
  createStack,
  lambdaGet,
  packageTemplate,
  rolePolicyText,
  type Packaged,
} from './stack.js';
import { loadTemplate, resourceOf, workspaceRoot, type Template } from './template.js';

const run = promisify(execFile);
const builtDir = path.join(workspaceRoot, 'apps', 'aws-adapter', 'dist', 'lambda');
const runtimeEmulator = path.join(import.meta.dirname, 'lambda-runtime.mjs');
/** Python's own zip reader, from the venv moto_server and cfn-lint live in. */
const python = path.join(workspaceRoot, 'tools', '.venv', 'bin', 'python3');

const STACK = 'drift-detective';
/** Not the stack's region, so the value seen in the function can only be the parameter's. */
const HOME_REGION = 'eu-west-1';

interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Handler: string;
  Role: string;
  Timeout: number;
  CodeSha256: string;
  Environment?: { Variables?: Record<string, string | null> };
}

let moto: MotoServer;
let sqs: SQSClient;
let events: EventBridgeClient;
let template: Template;
let packaged: Packaged;
let outputs: Record<string, string>;
let fn: FunctionConfiguration;
/** The schedule rule's targets as created, before the test takes them off (see beforeAll). */
let sweepTargets: { Id?: string | undefined; Arn?: string | undefined }[];
/** The deployed package, unzipped outside the workspace: Lambda's /var/task. */
let taskRoot: string;
/** One state file for every invocation, as one warm execution environment keeps it. */
let statePath: string;

/**
 * Packages the template and creates the stack with these parameters (HomeRegion always),
 * then reads the function's configuration as deployed.
 */
async function deployStack(parameters: Record<string, string> = {}) {
  packaged = await packageTemplate(moto.endpoint, template, 'drift-detective-artifacts');
  const cfn = new CloudFormationClient(clientOptions(moto.endpoint));
  outputs = await createStack(cfn, {
    name: STACK,
    template: packaged.template,
    parameters: { HomeRegion: HOME_REGION, ...parameters },
    capabilities: ['CAPABILITY_IAM'],
  });
  cfn.destroy();
  fn = await lambdaGet<FunctionConfiguration>(
    moto.endpoint,
    `/2015-03-31/functions/${outputs['FunctionName']}/configuration`,
  );

  // moto sends every PutEvents event to each rule without an EventPattern (the schedule
  // rule: events/models.py, matches_event takes no pattern as "match all") and has no
  // Lambda branch in send_to_targets, so with the function as its target every PutEvents
  // answers HTTP 500. Real EventBridge never sends bus events to a schedule rule. The
  // target is read here, then taken off; the schedule test invokes the function itself.
  const rule = outputs['SweepScheduleRuleName'];
  sweepTargets = (await events.send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets ?? [];
  await events.send(new RemoveTargetsCommand({ Rule: rule, Ids: sweepTargets.map((t) => t.Id!) }));
}

beforeAll(async () => {
  moto = await startMotoServer();
  sqs = new SQSClient(clientOptions(moto.endpoint));
  events = new EventBridgeClient(clientOptions(moto.endpoint));
  template = loadTemplate();
  await deployStack();

  // The function's code is what S3 holds under the packaged key: unzip that, not dist/.
  const s3 = new S3Client({ ...clientOptions(moto.endpoint), forcePathStyle: true });
  const object = await s3.send(
    new GetObjectCommand({ Bucket: packaged.bucket, Key: packaged.key }),
  );
  const zip = Buffer.from(await object.Body!.transformToByteArray());
  s3.destroy();
  const scratch = await mkdtemp(path.join(tmpdir(), 'drift-deploy-'));
  taskRoot = path.join(scratch, 'task');
  statePath = path.join(scratch, 'state', 'drift-state.db');
  await mkdir(path.dirname(statePath));
  await writeFile(path.join(scratch, 'function.zip'), zip);
  await run(python, ['-m', 'zipfile', '-e', path.join(scratch, 'function.zip'), taskRoot]);
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  events?.destroy();
  await moto?.stop();
});

/**
 * The function's Environment variables as deployed. Lambda hands them over as strings;
 * moto answers a number where the template's value is a Number parameter (MaxAttempts).
 */
function deployedVariables(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fn.Environment?.Variables ?? {}).flatMap(([name, value]) =>
      value === null || value === undefined ? [] : [[name, String(value)]],
    ),
  );
}

/** A URL of the stack's queues (https://sqs.<region>.amazonaws.com/…, as moto names them) on moto. */
const onMoto = (url: string) => `${moto.endpoint}${new URL(url).pathname}`;

/**
 * The environment Lambda gives the function: its Environment variables as deployed,
 * the runtime's own variables, and credentials (here moto's, there the role's).
 * `extra` adds settings a test needs beside the deployed ones.
 */
function functionEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const deployed = deployedVariables();
  return {
    ...deployed,
    // The SQS client sends to the host of a queue URL it is given, whatever endpoint
    // AWS_ENDPOINT_URL names ("using QueueUrl host as endpoint"): the deployed
    // dead-letter queue's URL names real SQS, so here it is the same queue on moto.
    DRIFT_AWS_DLQ_URL: onMoto(deployed['DRIFT_AWS_DLQ_URL']!),
    ...(deployed['DRIFT_AWS_QUEUE_URL'] === undefined
      ? {}
      : { DRIFT_AWS_QUEUE_URL: onMoto(deployed['DRIFT_AWS_QUEUE_URL']) }),
    PATH: process.env['PATH'],
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: fn.Handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.FunctionName,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The /tmp state file moves into the test's temp folder, shared by every invocation.
    ...(deployed['DRIFT_STATE_PATH'] === undefined ? {} : { DRIFT_STATE_PATH: statePath }),
    ...extra,
  };
}

/** Invokes the deployed Handler of the deployed package on Node 22 (a cold start each time). */
function invoke(
  event: unknown,
  extraEnv: Record<string, string> = {},
): Promise<{ answer: unknown; logs: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      lambdaNodeBinary(),
      [runtimeEmulator, taskRoot, fn.Handler],
      { env: functionEnv(extraEnv), cwd: taskRoot },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${fn.Handler} failed: ${error.message}\n${stderr}`));
        const line = stdout.split('\n').find((l) => l.startsWith('ANSWER '));
        if (!line) return reject(new Error(`${fn.Handler} gave no answer:\n${stdout}${stderr}`));
        resolve({ answer: JSON.parse(line.slice('ANSWER '.length)), logs: `${stdout}${stderr}` });
      },
    );
    child.stdin?.end(JSON.stringify(event));
  });
}

/** Receives until `expected` messages came (or 20 s passed), then once more to see no more come. */
async function receive(queueUrl: string, expected: number): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + 20_000;
  const once = async () =>
    (
      await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      )
    ).Messages ?? [];
  while (messages.length < expected && Date.now() < deadline) messages.push(...(await once()));
  messages.push(...(await once()));
  return messages;
}

/**
 * The event source mapping's part: one SQS event of the batch to the function, then
 * the messages it did not name in batchItemFailures deleted
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */
async function deliver(queueUrl: string, batch: Message[]) {
  const queueArn = await queueArnOf(queueUrl);
  const run = await invoke({ Records: batch.map((m) => lambdaSqsRecord(m, queueArn)) });
  const failed = new Set(
    (
      (run.answer as { batchItemFailures?: { itemIdentifier: string }[] }).batchItemFailures ?? []
    ).map((f) => f.itemIdentifier),
  );
  const done = batch.filter((m) => !failed.has(m.MessageId!));
  if (done.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return run;
}

async function queueAttributes(queueUrl: string) {
  const answer = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  );
  return answer.Attributes ?? {};
}

const queueArnOf = async (queueUrl: string) => (await queueAttributes(queueUrl))['QueueArn']!;

/** The function's reserved concurrency as deployed; undefined when none is reserved. */
async function reservedConcurrency(): Promise<number | undefined> {
  const { Concurrency } = await lambdaGet<{
    Concurrency?: { ReservedConcurrentExecutions?: number | string | null };
  }>(moto.endpoint, `/2015-03-31/functions/${fn.FunctionName}`);
  const reserved = Concurrency?.ReservedConcurrentExecutions;
  return reserved === undefined || reserved === null ? undefined : Number(reserved);
}

/** The events queue's mapping to the function, as Lambda lists it. */
async function eventSourceMappings() {
  const { EventSourceMappings } = await lambdaGet<{
    EventSourceMappings: {
      EventSourceArn: string;
      FunctionArn: string;
      State: string;
      BatchSize: number;
      FunctionResponseTypes?: string[];
      ScalingConfig?: { MaximumConcurrency?: number | string } | null;
    }[];
  }>(moto.endpoint, `/2015-03-31/event-source-mappings/?FunctionName=${fn.FunctionName}`);
  return EventSourceMappings;
}

/** A parameter's default when the value is a Ref to a parameter the test does not set. */
function templateValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'Ref' in value) {
    return template.Parameters[(value as { Ref: string }).Ref]?.Default;
  }
  return value;
}

const putConfigEvent = (detail: Record<string, unknown>) => putConfigItemChange(events, detail);

describe('the stack of deploy/aws/template.yaml, deployed to moto', () => {
  it('creates the function from the packaged code, as the template configures it', async () => {
    const fnTemplate = resourceOf(template, 'Function', 'AWS::Lambda::Function').Properties;
    expect(fn).toMatchObject({
      FunctionName: fnTemplate['FunctionName'],
      Runtime: fnTemplate['Runtime'],
      Handler: fnTemplate['Handler'],
      Timeout: fnTemplate['Timeout'],
      // The code Lambda runs is the zip uploaded by the package step.
      CodeSha256: packaged.codeSha256,
    });
    expect(fn.Role).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT}:role/`));
    // The package holds dist/lambda, byte for byte, and nothing else.
    const built = (await readdir(builtDir)).sort();
    expect((await readdir(taskRoot)).sort()).toEqual(built);
    for (const file of built) {
      const digest = async (dir: string) =>
        createHash('sha256')
          .update(await readFile(path.join(dir, file)))
          .digest('hex');
      expect(await digest(taskRoot), file).toBe(await digest(builtDir));
    }
    // Without StateUrlSecretArn: the /tmp state, one invocation at a time.
    expect(await reservedConcurrency()).toBe(1);
  });

  it('wires the function environment to the parameters and the queues', async () => {
    expect(deployedVariables()).toEqual({
      DRIFT_AWS_HOME_REGION: HOME_REGION,
      DRIFT_AWS_REGIONS: REGION,
      DRIFT_AWS_DLQ_URL: outputs['DeadLetterQueueUrl'],
      DRIFT_MAX_ATTEMPTS: String(template.Parameters['MaxAttempts']?.Default),
      DRIFT_STATE_PATH: '/tmp/drift-state.db',
      // Parameters left empty set nothing (AWS::NoValue): no DRIFT_AWS_ACCOUNTS,
      // DRIFT_AWS_AGGREGATOR, DRIFT_AWS_MEMBER_ROLE.
    });
  });

  it('redrives the events queue to the dead-letter queue after MaxReceiveCount receives', async () => {
    const queue = await queueAttributes(outputs['EventsQueueUrl']!);
    const dlqArn = await queueArnOf(outputs['DeadLetterQueueUrl']!);
    const redrive = JSON.parse(queue['RedrivePolicy'] ?? '{}') as Record<string, unknown>;
    const templateRedrive = resourceOf(template, 'EventsQueue', 'AWS::SQS::Queue').Properties[
      'RedrivePolicy'
    ] as Record<string, unknown>;
    expect(redrive['deadLetterTargetArn']).toBe(dlqArn);
    expect(Number(redrive['maxReceiveCount'])).toBe(
      templateValue(templateRedrive['maxReceiveCount']),
    );
    // The adapter dead-letters (with its reason) before SQS would.
    expect(Number(redrive['maxReceiveCount'])).toBeGreaterThan(
      Number(deployedVariables()['DRIFT_MAX_ATTEMPTS']),
    );
    // Lambda asks for at least six times the function timeout.
    expect(Number(queue['VisibilityTimeout'])).toBeGreaterThanOrEqual(6 * fn.Timeout);
  });

  it('maps the events queue to the function with ReportBatchItemFailures, its concurrency not capped', async () => {
    const EventSourceMappings = await eventSourceMappings();
    expect(EventSourceMappings.map((m) => m.ScalingConfig ?? undefined)).toEqual([undefined]);
    expect(EventSourceMappings).toEqual([
      expect.objectContaining({
        EventSourceArn: await queueArnOf(outputs['EventsQueueUrl']!),
        FunctionArn: fn.FunctionArn,
        State: 'Enabled',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
  });

  it('routes Config item changes, and only them, to the events queue', async () => {
    const rule = await events.send(
      new DescribeRuleCommand({ Name: outputs['ConfigChangeRuleArn']!.split('/').pop() }),
    );
    const templateRule = resourceOf(template, 'ConfigChangeRule', 'AWS::Events::Rule').Properties;
    expect(JSON.parse(rule.EventPattern ?? 'null')).toEqual(templateRule['EventPattern']);
    expect(rule.Arn).toBe(outputs['ConfigChangeRuleArn']);
    const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
    expect(Targets?.map((t) => t.Arn)).toEqual([await queueArnOf(outputs['EventsQueueUrl']!)]);
  });

  it('a bucket opened to the public: rule → queue → index.handler → one HIGH finding', async () => {
    const bucket = 'acme-reports';
    // Config's other notifications (delivery of a snapshot) stay out of the queue.
    await putConfigEvent({
      ...bucketChangeDetail('acme-snapshot'),
      messageType: 'ConfigurationSnapshotDeliveryCompleted',
    });
    await putConfigEvent(bucketChangeDetail(bucket, false));
    const batch = await receive(outputs['EventsQueueUrl']!, 1);
    expect(batch.map((m) => JSON.parse(m.Body!) as unknown)).toEqual([
      expect.objectContaining({
        source: 'aws.config',
        'detail-type': 'Config Configuration Item Change',
        detail: expect.objectContaining({
          messageType: 'ConfigurationItemChangeNotification',
          configurationItem: expect.objectContaining({ resourceId: bucket }),
        }),
      }),
    ]);

    const delivered = await deliver(outputs['EventsQueueUrl']!, batch);
    expect(delivered.answer).toEqual({ batchItemFailures: [] });
    // DRIFT_AWS_HOME_REGION came from the stack: no warning about a defaulted home region.
    expect(delivered.logs).not.toContain('home region not set');
    expect(delivered.logs).toContain('"stateDriver":"node:sqlite"');
    expect(bucketFindings(await securityHubFindings(moto.endpoint), bucket)).toEqual([
      expect.objectContaining({
        RecordState: 'ACTIVE',
        Severity: { Label: 'HIGH' },
        Compliance: expect.objectContaining({ Status: 'FAILED' }),
        AwsAccountId: ACCOUNT,
        // The account's own product in the stack's region, as ImportFindings grants.
        ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
      }),
    ]);
    // Handled and deleted: nothing left to deliver again.
    expect(await receive(outputs['EventsQueueUrl']!, 0)).toEqual([]);
  });

  it('poison on the events queue goes to the dead-letter queue with DriftDeadLetterReason', async () => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: outputs['EventsQueueUrl']!, MessageBody: 'not json' }),
    );
    const batch = await receive(outputs['EventsQueueUrl']!, 1);
    expect(batch.map((m) => m.Body)).toEqual(['not json']);
    const delivered = await deliver(outputs['EventsQueueUrl']!, batch);
    // Dead-lettered is handled: Lambda deletes it from the events queue.
    expect(delivered.answer).toEqual({ batchItemFailures: [] });
    const dead = await receive(outputs['DeadLetterQueueUrl']!, 1);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.Body).toBe('not json');
    const attributes = dead[0]!.MessageAttributes ?? {};
    expect(attributes['DriftDeadLetterReason']?.StringValue).toMatch(/not valid JSON/);
    expect(attributes['DriftMessageId']?.StringValue).toBe(batch[0]!.MessageId);
    expect(await receive(outputs['EventsQueueUrl']!, 0)).toEqual([]);
  });

  it('the schedule rule targets the function, which sweeps the region', async () => {
    const rule = await events.send(
      new DescribeRuleCommand({ Name: outputs['SweepScheduleRuleName'] }),
    );
    const templateRule = resourceOf(template, 'SweepScheduleRule', 'AWS::Events::Rule').Properties;
    expect(rule.ScheduleExpression).toBe(templateValue(templateRule['ScheduleExpression']));
    expect(sweepTargets.map((t) => t.Arn)).toEqual([fn.FunctionArn]);
    // EventBridge may invoke the function for this rule only.
    const { Policy } = await lambdaGet<{ Policy: string }>(
      moto.endpoint,
      `/2015-03-31/functions/${fn.FunctionName}/policy`,
    );
    expect((JSON.parse(Policy) as { Statement: unknown[] }).Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnLike: { 'AWS:SourceArn': rule.Arn } },
      }),
    ]);

    await seedAccount(moto.endpoint);
    const scheduled = scheduledEvent(rule.Arn!);
    // Buckets only: moto's Config answers HTTP 500 to BatchGetResourceConfig of the stack's
    // own role (moto/iam/models.py, Role.to_config_dict url-quotes the inline policy
    // document, which a role created by CloudFormation holds as a dict, not a string).
    const swept = await invoke(scheduled, { DRIFT_AWS_RESOURCE_TYPES: 'AWS::S3::Bucket' });
    expect(swept.answer).toMatchObject({
      completed: true,
      sweeps: [expect.objectContaining({ region: REGION, account: ACCOUNT })],
    });
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'open-bucket')).toEqual([
      expect.objectContaining({ RecordState: 'ACTIVE', Severity: { Label: 'HIGH' } }),
    ]);
  });

  it('creates every resource of the template but the QueuePolicy, which moto skips', async () => {
    const cfn = new CloudFormationClient(clientOptions(moto.endpoint));
    const { StackResources } = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: STACK }),
    );
    cfn.destroy();
    // moto lists the skipped resource too, as an entry without id, type or physical id.
    const created = (StackResources ?? []).flatMap((r) => r.LogicalResourceId ?? []).sort();
    const declared = Object.keys(template.Resources).sort();
    // If moto ever creates the QueuePolicy, this fails: then assert its statement here.
    expect(created).toEqual(declared.filter((id) => id !== 'EventsQueuePolicy'));
  });
});

// The same template with StateUrlSecretArn: the state is PostgreSQL, named to the function
// by its secret's ARN only. A fresh account (moto reset), the stack created again, and a
// secret holding the URL of a local PostgreSQL (trust authentication on the loopback: the
// password travels in the URL, as a real one would, and is never checked).
describe('the stack with StateUrlSecretArn: a PostgreSQL state named by its secret', () => {
  /** What the secret holds that nothing deployed may: the URL's password. */
  const PASSWORD = 'pw-never-in-config-7f3a9c';
  const MAX_CONCURRENCY = '5';
  const POOL_SIZE = '4';
  let postgres: PostgresServer;
  let stateUrl: string;
  let secretArn: string;

  beforeAll(async () => {
    await moto.reset();
    postgres = await startPostgres();
    const database = new URL(await postgres.createDatabase());
    database.password = PASSWORD;
    stateUrl = database.toString();
    expect(stateUrl).toContain(`:${PASSWORD}@`);
    secretArn = await createSecret(moto.endpoint, 'drift-detective/state-url', stateUrl);
    await deployStack({
      StateUrlSecretArn: secretArn,
      MaxConcurrency: MAX_CONCURRENCY,
      StatePoolSize: POOL_SIZE,
    });
  }, 120_000);

  afterAll(async () => {
    await postgres?.stop();
  });

  it('gives the function the secret ARN, no state file, and no reserved concurrency', async () => {
    expect(deployedVariables()).toEqual({
      DRIFT_AWS_HOME_REGION: HOME_REGION,
      DRIFT_AWS_REGIONS: REGION,
      DRIFT_AWS_DLQ_URL: outputs['DeadLetterQueueUrl'],
      DRIFT_MAX_ATTEMPTS: String(template.Parameters['MaxAttempts']?.Default),
      DRIFT_STATE_URL_SECRET_ARN: secretArn,
      DRIFT_STATE_POOL_SIZE: POOL_SIZE,
      DRIFT_AWS_SWEEP_ENQUEUE: 'true',
      DRIFT_AWS_QUEUE_URL: outputs['EventsQueueUrl'],
      // No DRIFT_STATE_PATH (AWS::NoValue), and no DRIFT_STATE_URL: the value stays in the secret.
    });
    expect(await reservedConcurrency()).toBeUndefined();
  });

  it("grants secretsmanager:GetSecretValue on that secret only, in the function's role", async () => {
    const roleName = fn.Role.split('/').pop()!;
    const policy = await rolePolicyText(moto.endpoint, roleName, 'drift-detective');
    // moto answers the document CloudFormation gave it as a Python dict (quoted with '),
    // the statement in it resolved.
    const document = policy.replace(/'/g, '"').replace(/\s+/g, ' ');
    const statement = /"Sid": "StateSecret"[^}]*\}/.exec(document)?.[0];
    expect(statement, policy).toBeDefined();
    expect(statement).toContain('"Action": "secretsmanager:GetSecretValue"');
    expect(statement).toContain(`"Resource": "${secretArn}"`);
    // No other Secrets Manager action, on any secret.
    expect(document.match(/"secretsmanager:[A-Za-z]+"/g)).toEqual([
      '"secretsmanager:GetSecretValue"',
    ]);
  });

  it('caps the events queue at MaxConcurrency environments', async () => {
    const [mapping, ...more] = await eventSourceMappings();
    expect(more).toEqual([]);
    expect(mapping?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(Number(mapping?.ScalingConfig?.MaximumConcurrency)).toBe(Number(MAX_CONCURRENCY));
  });

  it('leaves the connection string out of everything deployed: template, parameters, function, role', async () => {
    const cfn = new CloudFormationClient(clientOptions(moto.endpoint));
    const { TemplateBody } = await cfn.send(new GetTemplateCommand({ StackName: STACK }));
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: STACK }));
    cfn.destroy();
    const roleName = fn.Role.split('/').pop()!;
    const deployed = {
      template: TemplateBody ?? '',
      parameters: JSON.stringify(Stacks?.[0]?.Parameters ?? []),
      outputs: JSON.stringify(Stacks?.[0]?.Outputs ?? []),
      function: JSON.stringify(
        await lambdaGet(moto.endpoint, `/2015-03-31/functions/${fn.FunctionName}`),
      ),
      mappings: JSON.stringify(await eventSourceMappings()),
      role: await rolePolicyText(moto.endpoint, roleName, 'drift-detective'),
    };
    expect(deployed.template).toContain('StateUrlSecretArn');
    expect(deployed.parameters).toContain(secretArn);
    expect(deployed.function).toContain(secretArn);
    for (const [where, text] of Object.entries(deployed)) {
      expect(text, where).not.toContain(PASSWORD);
      expect(text, where).not.toContain(`127.0.0.1:${postgres.port}`);
      // No URL with credentials at all (the template's own text names the scheme).
      expect(text, where).not.toMatch(/postgres(ql)?:\/\/[^\s"'`]*@/);
      expect(text, where).not.toContain('{{resolve:');
    }
  });

  it('the deployed handler reads the secret at each cold start and keeps the state in PostgreSQL', async () => {
    const bucket = 'acme-shared-state';
    await putConfigEvent(bucketChangeDetail(bucket, false));
    const opened = await deliver(
      outputs['EventsQueueUrl']!,
      await receive(outputs['EventsQueueUrl']!, 1),
    );
    expect(opened.answer).toEqual({ batchItemFailures: [] });
    expect(opened.logs).toContain('"stateDriver":"pg"');
    // The store logs where the state is, without the password; nothing warns of /tmp.
    expect(opened.logs).toContain(`127.0.0.1:${postgres.port}`);
    expect(opened.logs).not.toContain(PASSWORD);
    expect(opened.logs).not.toContain('state lives in this execution environment only');
    const [finding] = bucketFindings(await securityHubFindings(moto.endpoint), bucket);
    expect(finding).toMatchObject({ RecordState: 'ACTIVE', Severity: { Label: 'HIGH' } });

    // Another cold start (another process, as another environment would be) finds the open
    // finding in the shared state and resolves it when the bucket is fixed.
    await putConfigEvent(bucketChangeDetail(bucket, true));
    const fixed = await deliver(
      outputs['EventsQueueUrl']!,
      await receive(outputs['EventsQueueUrl']!, 1),
    );
    expect(fixed.answer).toEqual({ batchItemFailures: [] });
    expect(fixed.logs).not.toContain(PASSWORD);
    expect(bucketFindings(await securityHubFindings(moto.endpoint), bucket)).toEqual([
      expect.objectContaining({ Id: finding!.Id, RecordState: 'ARCHIVED' }),
    ]);
  });

  it('the schedule sends a sweep request per region to the events queue, which the queue handler sweeps', async () => {
    await seedAccount(moto.endpoint);
    const rule = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${outputs['SweepScheduleRuleName']}`;
    // Buckets only, as in the schedule test above (moto cannot read the stack's own role).
    const buckets = { DRIFT_AWS_RESOURCE_TYPES: 'AWS::S3::Bucket' };
    const scheduled = await invoke(scheduledEvent(rule), buckets);
    expect(scheduled.answer).toEqual({ enqueued: [REGION] });
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'open-bucket')).toEqual([]);
    const queueUrl = outputs['EventsQueueUrl']!;
    const [request, ...more] = await receive(queueUrl, 1);
    expect(more).toEqual([]);
    expect(JSON.parse(request!.Body!)).toMatchObject({
      kind: 'drift-detective/sweep-shard',
      cloud: 'aws',
      shard: REGION,
    });
    const queueArn = await queueArnOf(queueUrl);
    const swept = await invoke({ Records: [lambdaSqsRecord(request!, queueArn)] }, buckets);
    expect(swept.answer).toEqual({ batchItemFailures: [] });
    expect(swept.logs).toContain('"msg":"sweep request done"');
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'open-bucket')).toEqual([
      expect.objectContaining({ RecordState: 'ACTIVE', Severity: { Label: 'HIGH' } }),
    ]);
  });

  it('fails a cold start in one line naming the secret when it cannot be read, never a value', async () => {
    const missing = secretArn.replace(/-[A-Za-z0-9]{6}$/, '-Gone00');
    const failed = await invoke({ Records: [] }, { DRIFT_STATE_URL_SECRET_ARN: missing }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(failed).toBeDefined();
    expect(failed).toContain(`state secret ${missing}: ResourceNotFoundException`);
    expect(failed).not.toContain(PASSWORD);
    // The secret beside a state file: two states named at once, refused before any read.
    const both = await invoke({ Records: [] }, { DRIFT_STATE_PATH: statePath }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(both).toContain(
      'DRIFT_STATE_URL_SECRET_ARN and DRIFT_STATE_PATH both name a state: set one',
    );
  });
});
