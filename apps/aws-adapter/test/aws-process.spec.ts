// The AWS adapter as users run it: `drift-detective-aws worker|sweep` (the
// same command as `drift-detective aws worker|sweep`) as real processes, every
// call through the AWS SDK's default chain to moto_server (AWS_ENDPOINT_URL),
// findings asserted in moto's Security Hub.
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConfigServiceClient,
  PutConfigurationAggregatorCommand,
} from '@aws-sdk/client-config-service';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  ACCOUNT,
  ALL_BLOCKED,
  bucketFindings,
  configEventPath,
  putAccountPublicAccessBlock,
  queueEmpty,
  REGION,
  securityHubFindings,
  seedAccount,
  TEST_CREDENTIALS as credentials,
} from '@drift-detective/provider-aws/testing';
import {
  faults,
  startFaultProxy,
  startMotoServer,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '@drift-detective/findings';
import {
  adapter,
  adapterEnv,
  waitFor,
  freePort,
  startWorker,
  stopWorker,
} from './adapter-process.js';

let moto: MotoServer;
let env: NodeJS.ProcessEnv;
let sqs: SQSClient;

beforeAll(async () => {
  moto = await startMotoServer();
  sqs = new SQSClient({ endpoint: moto.endpoint, region: REGION, credentials });
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-aws-cli-'));
  // Only the SDK's standard variables: the adapter has no endpoint or key settings of its own.
  env = { ...adapterEnv(moto.endpoint, dir, credentials, REGION) };
});

describe('drift-detective-aws worker', () => {
  it('replays the incident: a hotfix opens an ACTIVE HIGH finding within one poll, the fix archives the same finding', async () => {
    const { queueUrl, dlqUrl, putChange } = await configEventPath(moto.endpoint);
    const metricsPort = await freePort();
    const worker = startWorker(queueUrl, ['--metrics-port', String(metricsPort)], env);
    try {
      const base = `http://127.0.0.1:${metricsPort}`;
      await waitFor('the worker to be ready', async () =>
        (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined,
      );
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      // The hotfix: the bucket's Block Public Access goes off; Config reports the change.
      await putChange('acme-reports', false);
      const opened = await waitFor('the ACTIVE finding', async () => {
        const found = bucketFindings(await securityHubFindings(moto.endpoint), 'acme-reports');
        return found.length > 0 ? found : undefined;
      });
      expect(opened).toHaveLength(1);
      const [finding] = opened;
      expect(finding).toMatchObject({
        Id: expect.stringMatching(/^drift-detective\/[0-9a-f]{32}$/),
        ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
        AwsAccountId: ACCOUNT,
        Severity: { Label: 'HIGH' },
        RecordState: 'ACTIVE',
        Compliance: { Status: 'FAILED' },
        Resources: [expect.objectContaining({ Type: 'AwsS3Bucket', Region: REGION })],
      });
      // The cause, from the event's configurationItemDiff: the setting the hotfix turned off.
      expect(finding?.ProductFields?.['drift-detective/ChangedFields']).toMatch(
        /BlockPublicAcls: true → false/,
      );

      // Poison in the middle: it goes to the dead-letter queue with its reason; the rest flows on.
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json' }));
      // The fix.
      await putChange('acme-reports', true);
      const archived = await waitFor('the archived finding', async () => {
        const found = bucketFindings(await securityHubFindings(moto.endpoint), 'acme-reports');
        return found[0]?.RecordState === 'ARCHIVED' ? found : undefined;
      });
      expect(archived).toHaveLength(1);
      expect(archived[0]).toMatchObject({
        Id: finding!.Id,
        CreatedAt: finding!.CreatedAt,
        RecordState: 'ARCHIVED',
        Compliance: { Status: 'PASSED' },
      });

      const dead = await waitFor('the dead letter', async () => {
        const answer = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: dlqUrl,
            MessageAttributeNames: ['All'],
            WaitTimeSeconds: 1,
          }),
        );
        return answer.Messages?.[0];
      });
      expect(dead.Body).toBe('not json');
      // A message is acknowledged (and counted) just after its findings reached the hub.
      const scrape = await waitFor('both changes acknowledged', async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return /^drift_events_total\{outcome="acked"\} 2$/m.test(text) ? text : undefined;
      });
      expect(scrape).toMatch(/^drift_events_total\{outcome="dead_lettered"\} 1$/m);
      expect(scrape).toMatch(/^drift_findings_transitions_total\{transition="resolved"\} 1$/m);
      expect(dead.MessageAttributes?.['DriftDeadLetterReason']?.StringValue).toMatch(
        /^NormalizeError: sqs:drift-events\/.*: Body is not valid JSON/,
      );
    } finally {
      const code = await stopWorker(worker);
      expect(worker.stderr()).toMatch(/aws worker stopped: 2 acked, 0 retried, 1 dead-lettered/);
      expect(code).toBe(0);
    }
    // Nothing left behind: every message was acknowledged (deleted) or dead-lettered.
    const left = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(left.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  }, 90_000);
});

const byId = (all: AwsSecurityFinding[]) => new Map(all.map((f) => [f.Id, f]));

describe('drift-detective-aws sweep', () => {
  it('publishes each finding once however often it runs, archives the fixed one and the deleted one', async () => {
    const { blockBucket, deleteRole } = await seedAccount(moto.endpoint);
    const first = await adapter(['sweep'], { env });
    expect(first.code).toBe(0);
    const opened = await securityHubFindings(moto.endpoint);
    // The last line: what was read, and what happened to findings in this run.
    expect(first.stderr).toMatch(
      new RegExp(
        String.raw`aws sweep us-east-1 \(123456789012\): \d+ resources in \d+ pages, 0 resolved as deleted; ` +
          `findings: ${opened.length} opened, 0 updated, 0 resolved, 0 reopened; 0 records skipped\n$`,
      ),
    );
    const open = bucketFindings(opened, 'open-bucket');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      Severity: { Label: 'HIGH' },
      RecordState: 'ACTIVE',
      Compliance: { Status: 'FAILED' },
    });
    expect(bucketFindings(opened, 'closed-bucket')).toEqual([]);
    const admin = opened.filter((f) => f.GeneratorId === 'DD-IAM-001');
    expect(admin).toHaveLength(1);
    expect(admin[0]).toMatchObject({
      Severity: { Label: 'HIGH' },
      Resources: [expect.objectContaining({ Type: 'AwsIamRole', Region: REGION })],
    });

    // Twice: no second finding, nothing changed.
    const second = await adapter(['sweep'], { env });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(
      /0 resolved as deleted; findings: 0 opened, 0 updated, 0 resolved, 0 reopened; 0 records skipped\n$/,
    );
    const again = await securityHubFindings(moto.endpoint);
    expect(byId(again).size).toBe(again.length);
    expect([...byId(again).keys()].sort()).toEqual([...byId(opened).keys()].sort());

    // The bucket fixed, the role deleted: the same findings, archived.
    await blockBucket('open-bucket');
    await deleteRole();
    const third = await adapter(['sweep'], { env });
    // The role resolved as deleted, the bucket's public-access finding as compliant.
    expect(third.stderr).toMatch(
      /1 resolved as deleted; findings: 0 opened, 0 updated, 2 resolved, 0 reopened; 0 records skipped\n$/,
    );
    const after = byId(await securityHubFindings(moto.endpoint));
    expect(after.size).toBe(opened.length);
    expect(after.get(open[0]!.Id)).toMatchObject({
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
      CreatedAt: open[0]!.CreatedAt,
    });
    expect(after.get(admin[0]!.Id)).toMatchObject({ RecordState: 'ARCHIVED' });
  }, 120_000);

  it('--aggregator sweeps what a Config aggregator gathered, once however often it runs', async () => {
    await seedAccount(moto.endpoint);
    await new ConfigServiceClient({ endpoint: moto.endpoint, region: REGION, credentials }).send(
      new PutConfigurationAggregatorCommand({
        ConfigurationAggregatorName: 'org-view',
        AccountAggregationSources: [{ AccountIds: [ACCOUNT], AwsRegions: [REGION] }],
      }),
    );
    const first = await adapter(['sweep', '--aggregator', 'org-view'], { env });
    expect(first.stderr).toMatch(/aws sweep us-east-1 \(org-view\): \d+ resources/);
    expect(first.code).toBe(0);
    const once = await securityHubFindings(moto.endpoint);
    expect(bucketFindings(once, 'open-bucket')).toHaveLength(1);
    expect(once.filter((f) => f.GeneratorId === 'DD-IAM-001')).toHaveLength(1);
    const second = await adapter(['sweep', '--aggregator', 'org-view'], { env });
    expect(second.code).toBe(0);
    const twice = await securityHubFindings(moto.endpoint);
    expect(twice.map((f) => f.Id).sort()).toEqual(once.map((f) => f.Id).sort());
  }, 60_000);

  it('--dry-run prints the findings as JSON lines and sends nothing to Security Hub', async () => {
    await seedAccount(moto.endpoint);
    const run = await adapter(['sweep', '--dry-run', '--regions', REGION], { env });
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { ruleId: string; resourceId: string; transition: string },
      );
    expect(lines).toContainEqual(
      expect.objectContaining({
        ruleId: 'DD-STORAGE-001',
        resourceId: 'arn:aws:s3:::open-bucket',
        transition: 'new',
      }),
    );
    expect(await securityHubFindings(moto.endpoint)).toEqual([]);
  }, 60_000);
});

describe('drift-detective-aws worker killed mid-event', () => {
  it('loses nothing and duplicates nothing: the next worker finishes what kill -9 interrupted', async () => {
    // A short visibility timeout: once the killed worker stops extending it, the message returns.
    const { queueUrl, putChange } = await configEventPath(moto.endpoint, 3);
    // Security Hub answers the first import slowly: the worker is killed while it waits.
    const proxy = await startFaultProxy({
      target: moto.endpoint,
      plan: (r) =>
        r.operation === 'BatchImportFindings' && r.index === 0 ? faults.delay(5_000) : null,
    });
    const viaProxy = { ...env, AWS_ENDPOINT_URL: proxy.endpoint };
    try {
      await putChange('crash-bucket', false);
      const first = startWorker(queueUrl, [], viaProxy);
      await waitFor('the first publish to start', async () =>
        proxy.requests.some((r) => r.operation === 'BatchImportFindings') ? true : undefined,
      );
      const killed = once(first.child, 'exit');
      first.child.kill('SIGKILL');
      await killed;
      expect(await queueEmpty(sqs, queueUrl)).toBe(false); // not acknowledged: still the queue's

      const second = startWorker(queueUrl, [], viaProxy);
      try {
        await waitFor('the message to be handled', async () =>
          (await queueEmpty(sqs, queueUrl)) ? true : undefined,
        );
      } finally {
        await stopWorker(second);
      }
      expect(second.stderr()).toMatch(/aws worker stopped: 1 acked/);
      // The delayed import may land too (moto does the work when it gets it): still one finding.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const found = bucketFindings(await securityHubFindings(moto.endpoint), 'crash-bucket');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ RecordState: 'ACTIVE', Severity: { Label: 'HIGH' } });
      // Only reads, as `findings list` does: no writer lock.
      const state = new SqliteStateStore(env['DRIFT_STATE_PATH']!, { lock: false });
      const listed = await state.list();
      await state.close();
      expect(listed.filter((f) => f.resourceId === 'arn:aws:s3:::crash-bucket')).toEqual([
        expect.objectContaining({ status: 'ACTIVE', pendingTransition: null }),
      ]);
    } finally {
      await proxy.stop();
    }
  }, 90_000);
});

describe('drift-detective-aws worker with the account block', () => {
  it("judges a bucket event with its account's Block Public Access, read from AWS Config", async () => {
    await seedAccount(moto.endpoint);
    await putAccountPublicAccessBlock(moto.endpoint, ALL_BLOCKED);
    const { queueUrl, putChange } = await configEventPath(moto.endpoint);
    const worker = startWorker(queueUrl, [], env);
    try {
      // The bucket's own block goes off, but the account blocks public access: not exposed.
      await putChange('covered-bucket', false);
      // Handled: deleted from the queue, which PutEvents filled before this line.
      await waitFor('the event to be handled', async () =>
        (await queueEmpty(sqs, queueUrl)) ? true : undefined,
      );
    } finally {
      await stopWorker(worker);
    }
    expect(worker.stderr()).toMatch(/aws worker stopped: 1 acked/);
    expect(bucketFindings(await securityHubFindings(moto.endpoint), 'covered-bucket')).toEqual([]);
  }, 60_000);
});

describe('drift-detective-aws settings', () => {
  it('names what is missing around it in one line: no region, no credentials', async () => {
    const bare = {
      ...process.env,
      AWS_REGION: '',
      AWS_DEFAULT_REGION: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      DRIFT_STATE_PATH: env['DRIFT_STATE_PATH'],
    };
    const noRegion = await adapter(['sweep'], { env: bare });
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(
      /^drift-detective: aws sweep failed: Error: no AWS region: pass --regions, set AWS_REGION/m,
    );
    expect(noRegion.stderr).not.toMatch(/^\s+at /m);
    const noKeys = await adapter(['sweep', '--regions', REGION, '--home-region', REGION], {
      env: { ...bare, AWS_ENDPOINT_URL: moto.endpoint },
    });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(
      /^drift-detective: aws sweep failed: CredentialsProviderError: Could not load credentials/m,
    );
    expect(noKeys.stderr).not.toMatch(/^\s+at /m);
  });

  it('needs a queue for the worker and names bad settings', async () => {
    const noQueue = await adapter(['worker'], { env });
    expect(noQueue.code).toBe(2);
    expect(noQueue.stderr).toMatch(
      /aws worker needs a queue: --queue-url URL or DRIFT_AWS_QUEUE_URL/,
    );
    const bad = await adapter(['sweep', '--concurrency', 'lots'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--concurrency must be a whole number of at least 1, not 'lots'/);
  });

  it('refuses a dry-run worker, which would delete the messages it publishes nowhere', async () => {
    const { queueUrl, putChange } = await configEventPath(moto.endpoint);
    await putChange('acme-reports', false);
    await waitFor('the event in the queue', async () =>
      (await queueEmpty(sqs, queueUrl)) ? undefined : true,
    );
    for (const [args, extraEnv] of [
      [['worker', '--queue-url', queueUrl, '--dry-run'], {}],
      [['worker', '--queue-url', queueUrl], { DRIFT_DRY_RUN: 'true' }],
    ] as const) {
      const run = await adapter(args, { env: { ...env, ...extraEnv } });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /--dry-run is for sweeps: a worker deletes each message it handles/,
      );
    }
    // The event is still there for a real worker.
    expect(await queueEmpty(sqs, queueUrl)).toBe(false);
    expect(await securityHubFindings(moto.endpoint)).toEqual([]);
  });

  it('warns once at start when the home region is not set, naming the region it uses', async () => {
    const warning =
      /home region not set: IAM \(global\) findings go to Security Hub in us-east-1; set DRIFT_AWS_HOME_REGION/g;
    const defaulted = await adapter(['sweep', '--dry-run'], { env });
    expect(defaulted.code).toBe(0);
    expect(defaulted.stderr.match(warning)).toHaveLength(1);
    const line = defaulted.stderr.split('\n').find((l) => l.includes('home region not set'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ homeRegion: REGION });

    const byFlag = await adapter(['sweep', '--dry-run', '--home-region', REGION], { env });
    expect(byFlag.code).toBe(0);
    expect(byFlag.stderr).not.toMatch(/home region not set/);
    const byEnv = await adapter(['sweep', '--dry-run'], {
      env: { ...env, DRIFT_AWS_HOME_REGION: REGION },
    });
    expect(byEnv.code).toBe(0);
    expect(byEnv.stderr).not.toMatch(/home region not set/);
  });

  it('prints no runtime warning: no Node.js or AWS SDK warning banner on stderr', async () => {
    await seedAccount(moto.endpoint);
    const run = await adapter(['sweep', '--dry-run', '--home-region', REGION], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('open-bucket');
    // Node prints "(node:PID) XWarning: …"; the AWS SDK names NodeVersionSupportWarning.
    expect(run.stderr).not.toMatch(/\(node:\d+\) \w*Warning|NodeVersionSupportWarning/);
    for (const line of run.stderr.split('\n').filter((l) => l.startsWith('{'))) {
      expect(JSON.parse(line)).toHaveProperty('level');
    }
  });
});
