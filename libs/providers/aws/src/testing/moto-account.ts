import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createAwsClients, type AwsClients } from '../adapter/clients.js';
import type { CallTimeouts } from '../adapter/timeouts.js';
import { ACCOUNT, bucketChangeDetail, REGION } from './config-events.js';

/** moto takes any keys; these never leave the loopback. */
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export const ALL_BLOCKED = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

const clientOptions = (endpoint: string) => ({
  endpoint,
  region: REGION,
  credentials: TEST_CREDENTIALS,
});

/**
 * An account as moto's Config sees it: a recorder of every type (globals
 * included), bucket "open-bucket" with no Block Public Access, bucket
 * "closed-bucket" with all of it on, and role "deployer" allowed * on *.
 */
export async function seedAccount(endpoint: string) {
  const s3 = new S3Client({ ...clientOptions(endpoint), forcePathStyle: true });
  const iam = new IAMClient(clientOptions(endpoint));
  await new ConfigServiceClient(clientOptions(endpoint)).send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'default',
        roleARN: `arn:aws:iam::${ACCOUNT}:role/config-recorder`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
    }),
  );
  for (const bucket of ['open-bucket', 'closed-bucket']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  const blockBucket = (bucket: string) =>
    s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: ALL_BLOCKED,
      }),
    );
  await blockBucket('closed-bucket');
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'deployer',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'deployer',
      PolicyName: 'everything',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      }),
    }),
  );
  const deleteRole = async () => {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'everything' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'deployer' }));
  };
  return { blockBucket, deleteRole };
}

/**
 * Another region of the account: Config recording there (a recorder is per
 * region; without one a sweep of the region covers nothing), and a public
 * bucket created in it. Returns how to delete the bucket.
 */
export async function seedRegion(endpoint: string, region: string, bucket: string) {
  const options = { ...clientOptions(endpoint), region };
  await new ConfigServiceClient(options).send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'default',
        roleARN: `arn:aws:iam::${ACCOUNT}:role/config-recorder`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
      },
    }),
  );
  const s3 = new S3Client({ ...options, forcePathStyle: true });
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-1' },
    }),
  );
  return { removeBucket: () => s3.send(new DeleteBucketCommand({ Bucket: bucket })) };
}

/**
 * The documented event path: an EventBridge rule for Config item changes
 * targeting queue "drift-events", whose RedrivePolicy names "drift-events-dlq".
 * putChange sends a bucket's change event through it.
 */
export async function configEventPath(endpoint: string, visibilityTimeoutSeconds = 30) {
  const sqs = new SQSClient(clientOptions(endpoint));
  const arn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'drift-events-dlq' }));
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'drift-events',
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: arn('drift-events-dlq'),
          maxReceiveCount: '8',
        }),
      },
    }),
  );
  const events = new EventBridgeClient(clientOptions(endpoint));
  await events.send(
    new PutRuleCommand({
      Name: 'drift-config-changes',
      EventPattern: JSON.stringify({
        source: ['aws.config'],
        'detail-type': ['Config Configuration Item Change'],
      }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'drift-config-changes',
      Targets: [{ Id: 'queue', Arn: arn('drift-events') }],
    }),
  );
  const putDetail = (detail: Record<string, unknown>) => putConfigItemChange(events, detail);
  const putChange = (bucket: string, blockOn: boolean) =>
    putDetail(bucketChangeDetail(bucket, blockOn));
  if (!queue.QueueUrl || !dlq.QueueUrl) throw new Error('moto created no queue URL');
  return {
    queueUrl: queue.QueueUrl,
    queueArn: arn('drift-events'),
    dlqUrl: dlq.QueueUrl,
    putChange,
    putDetail,
  };
}

/**
 * Whether the queue holds nothing, visible or in flight. Asked twice: moto counts
 * the visible messages before the invisible ones, so a message whose visibility
 * timeout ends between the two counts is in neither, once.
 */
export async function queueEmpty(sqs: SQSClient, queueUrl: string): Promise<boolean> {
  const once = async () => {
    const { Attributes: a } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      a?.['ApproximateNumberOfMessages'] === '0' &&
      a['ApproximateNumberOfMessagesNotVisible'] === '0'
    );
  };
  return (await once()) && (await once());
}

/** Puts a Config item change event (its detail) on the default bus, as AWS Config does. */
export async function putConfigItemChange(
  events: EventBridgeClient,
  detail: Record<string, unknown>,
): Promise<void> {
  const answer = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'aws.config',
          DetailType: 'Config Configuration Item Change',
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  if (answer.FailedEntryCount !== 0) {
    throw new Error(`PutEvents failed: ${JSON.stringify(answer)}`);
  }
}

/** Every finding of the region's Security Hub (GetFindings pages of 100). */
export async function securityHubFindings(
  endpoint: string,
  region = REGION,
): Promise<AwsSecurityFinding[]> {
  const hub = new SecurityHubClient({ ...clientOptions(endpoint), region });
  const all: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
    all.push(...(page.Findings ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

/** The DD-STORAGE-001 findings of a bucket. */
export const bucketFindings = (all: readonly AwsSecurityFinding[], bucket: string) =>
  all.filter(
    (f) => f.GeneratorId === 'DD-STORAGE-001' && f.Resources?.[0]?.Id === `arn:aws:s3:::${bucket}`,
  );

/**
 * The adapter's clients for a test endpoint (moto, or a fault proxy in front
 * of it): createAwsClients with the endpoint and keys a test names instead of
 * the environment's.
 */
export function endpointClients(
  endpoint: string,
  memberRole: string | null = null,
  timeouts?: CallTimeouts,
): AwsClients {
  return createAwsClients({
    memberRole,
    emulator: { endpoint, credentials: TEST_CREDENTIALS, region: REGION },
    timeouts,
  });
}
