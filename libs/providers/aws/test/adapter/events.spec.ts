// The worker on the kinds of change event AWS Config sends, end to end through
// moto: EventBridge → SQS → worker → Security Hub.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  accountBlockChangeDetail,
  ALL_BLOCKED,
  bucketChangeDetail,
  bucketDeletedDetail,
  bucketFindings,
  configEventPath,
  oversizedBucketDetail,
  putAccountPublicAccessBlock,
  REGION,
  securityHubFindings,
  seedAccount,
  TEST_CREDENTIALS,
} from '../../src/testing/index.js';
import type { FlagValues } from '../../src/adapter/config.js';
import { adapter, adapterSuite, runningWorker, workUntilEmpty } from './harness.js';

const t = adapterSuite();

const clientOptions = () => ({
  endpoint: t.moto.endpoint,
  region: REGION,
  credentials: TEST_CREDENTIALS,
});

/** A worker left running across the steps of a test, as a deployment runs one. */
function worker(queueUrl: string) {
  const running = runningWorker(
    t.moto.endpoint,
    adapter(t.moto.endpoint, t.engine, t.store, { queueUrl }),
  );
  return {
    /** Puts events on the bus, waits until the worker handled them, returns the hub's findings. */
    async step(put: () => Promise<void>) {
      await put();
      await running.settled();
      return securityHubFindings(t.moto.endpoint);
    },
    stop: () => running.stop(),
  };
}

/** Puts the events on the bus, runs a worker until the queue is empty, returns the findings. */
async function judge(queueUrl: string, put: () => Promise<void>, flags: FlagValues = {}) {
  await put();
  const wired = adapter(t.moto.endpoint, t.engine, t.store, { queueUrl, ...flags });
  const summary = await workUntilEmpty(t.moto.endpoint, wired);
  return { summary, findings: await securityHubFindings(t.moto.endpoint) };
}

describe('the worker on Config change events', () => {
  it('fetches an oversized item with GetResourceConfigHistory and judges it', async () => {
    // The bucket exists in moto's Config with no Block Public Access: its history says so.
    const s3 = new S3Client({ ...clientOptions(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'huge-policy-bucket' }));
    const { queueUrl, putDetail } = await configEventPath(t.moto.endpoint);
    const { summary, findings } = await judge(queueUrl, () =>
      putDetail(oversizedBucketDetail('huge-policy-bucket')),
    );
    expect(summary).toMatchObject({ acked: 1, deadLettered: 0 });
    expect(bucketFindings(findings, 'huge-policy-bucket')).toHaveLength(1);
  });

  it.each(['ResourceDeleted', 'ResourceDeletedNotRecorded'] as const)(
    'resolves the findings of a bucket reported %s',
    async (status) => {
      const { queueUrl, putDetail } = await configEventPath(t.moto.endpoint);
      const running = worker(queueUrl);
      try {
        const opened = await running.step(() => putDetail(bucketChangeDetail('gone', false)));
        const [finding] = bucketFindings(opened, 'gone');
        expect(finding?.RecordState).toBe('ACTIVE');
        const deleted = await running.step(() => putDetail(bucketDeletedDetail('gone', status)));
        expect(bucketFindings(deleted, 'gone')).toEqual([
          expect.objectContaining({ Id: finding!.Id, RecordState: 'ARCHIVED' }),
        ]);
        expect((await t.store.list()).map((f) => [f.status, f.resolution])).toContainEqual([
          'RESOLVED',
          'deleted',
        ]);
      } finally {
        await running.stop();
      }
    },
  );

  it("re-judges the region's buckets when the account's Block Public Access changes", async () => {
    await seedAccount(t.moto.endpoint); // open-bucket: its own block off; closed-bucket: on
    const { queueUrl, putDetail } = await configEventPath(t.moto.endpoint);
    const running = worker(queueUrl);
    try {
      const opened = await running.step(() => putDetail(bucketChangeDetail('open-bucket', false)));
      const [finding] = bucketFindings(opened, 'open-bucket');
      expect(finding?.RecordState).toBe('ACTIVE');

      // The account blocks public access now: open-bucket is covered, though its own block is off.
      await putAccountPublicAccessBlock(t.moto.endpoint, ALL_BLOCKED);
      const covered = await running.step(() => putDetail(accountBlockChangeDetail(true)));
      expect(bucketFindings(covered, 'open-bucket')).toEqual([
        expect.objectContaining({ Id: finding!.Id, RecordState: 'ARCHIVED' }),
      ]);

      // And off again: the same finding reopens, from the account event alone.
      const exposed = await running.step(() => putDetail(accountBlockChangeDetail(false)));
      expect(bucketFindings(exposed, 'open-bucket')).toEqual([
        expect.objectContaining({ Id: finding!.Id, RecordState: 'ACTIVE' }),
      ]);
      expect(bucketFindings(exposed, 'closed-bucket')).toEqual([]);
    } finally {
      await running.stop();
    }
  });

  it('keeps the verdict of the newer account block event when an older one is delivered late', async () => {
    await seedAccount(t.moto.endpoint); // open-bucket: its own block off
    const { queueUrl, putDetail } = await configEventPath(t.moto.endpoint);
    // Captured after the buckets were created, so the block's time is the later one.
    const t1 = new Date(Date.now() + 60_000);
    const t2 = new Date(t1.getTime() + 60_000);
    const running = worker(queueUrl);
    try {
      const covered = await running.step(() =>
        putDetail(accountBlockChangeDetail(true, { capturedAt: t1 })),
      );
      expect(bucketFindings(covered, 'open-bucket')).toEqual([]);

      const exposed = await running.step(() =>
        putDetail(accountBlockChangeDetail(false, { capturedAt: t2 })),
      );
      const [finding, ...more] = bucketFindings(exposed, 'open-bucket');
      expect(more).toEqual([]);
      expect(finding?.RecordState).toBe('ACTIVE');

      // The block-on event of t1 again (an SQS redelivery, a retry): older than what was judged.
      const retried = await running.step(() =>
        putDetail(accountBlockChangeDetail(true, { capturedAt: t1 })),
      );
      expect(bucketFindings(retried, 'open-bucket')).toEqual([
        expect.objectContaining({ Id: finding!.Id, RecordState: 'ACTIVE' }),
      ]);
      const stored = (await t.store.list()).filter(
        (f) => f.ruleId === 'DD-STORAGE-001' && f.resourceId === 'arn:aws:s3:::open-bucket',
      );
      expect(stored.map((f) => f.status)).toEqual(['ACTIVE']);
    } finally {
      await running.stop();
    }
  });

  it('reads an event that came SNS → SQS (the notification inside the SNS envelope)', async () => {
    const { queueUrl } = await configEventPath(t.moto.endpoint);
    const sqs = new SQSClient(clientOptions());
    // The SNS envelope of a Config delivery channel's topic, raw message delivery off
    // (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
    const envelope = {
      Type: 'Notification',
      MessageId: '0f1b5c2e-8c62-5c0b-9a5e-3c4f1c1f6a11',
      TopicArn: `arn:aws:sns:${REGION}:123456789012:config-topic`,
      Subject: '[AWS Config:us-east-1] AWS::S3::Bucket via-sns Updated in Account 123456789012',
      Message: JSON.stringify(bucketChangeDetail('via-sns', false)),
      Timestamp: new Date().toISOString(),
      SignatureVersion: '1',
      Signature: 'EXAMPLE',
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem',
      UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
    };
    const { findings } = await judge(queueUrl, async () => {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(envelope) }),
      );
    });
    expect(bucketFindings(findings, 'via-sns')).toHaveLength(1);
  });

  it('dead-letters an oversized item Config cannot give, with the reason, after its attempts', async () => {
    const { queueUrl, dlqUrl, putDetail } = await configEventPath(t.moto.endpoint);
    const { summary, findings } = await judge(
      queueUrl,
      () => putDetail(oversizedBucketDetail('never-recorded')),
      // Each failed fetch is retried with backoff; one attempt keeps the test short.
      { maxAttempts: '1' },
    );
    expect(summary).toMatchObject({ acked: 0, deadLettered: 1 });
    expect(bucketFindings(findings, 'never-recorded')).toEqual([]);
    const sqs = new SQSClient(clientOptions());
    const dead = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ['All'] }),
    );
    expect(dead.Messages?.[0]?.MessageAttributes?.['DriftDeadLetterReason']?.StringValue).toMatch(
      /after 1 attempts: .*fetching never-recorded failed: .*ResourceNotDiscovered/,
    );
  });

  it('dead-letters an item whose capture time or account is none, naming the field, and records nothing', async () => {
    const { queueUrl, dlqUrl, putDetail } = await configEventPath(t.moto.endpoint);
    const spoiled = (bucket: string, field: string, value: unknown) => {
      const detail = bucketChangeDetail(bucket, false);
      (detail['configurationItem'] as Record<string, unknown>)[field] = value;
      return detail;
    };
    const { summary, findings } = await judge(queueUrl, async () => {
      await putDetail(spoiled('timeless', 'configurationItemCaptureTime', 'not a time'));
      await putDetail(spoiled('ownerless', 'awsAccountId', 1.5e308));
    });
    expect(summary).toMatchObject({ acked: 0, retried: 0, deadLettered: 2 });
    expect(bucketFindings(findings, 'timeless')).toEqual([]);
    expect(bucketFindings(findings, 'ownerless')).toEqual([]);
    // Neither became an observation at the time of processing, nor a finding of account "".
    expect(await t.store.list()).toEqual([]);
    const sqs = new SQSClient(clientOptions());
    const dead = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MessageAttributeNames: ['All'],
        MaxNumberOfMessages: 10,
      }),
    );
    const reasons = (dead.Messages ?? []).map(
      (m) => m.MessageAttributes?.['DriftDeadLetterReason']?.StringValue ?? '',
    );
    expect(reasons).toHaveLength(2);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^NormalizeError: .*awsAccountId 1\.5e\+308 is not an AWS account id/,
        ),
        expect.stringMatching(
          /^NormalizeError: .*configurationItemCaptureTime "not a time" is not a time/,
        ),
      ]),
    );
  });
});
