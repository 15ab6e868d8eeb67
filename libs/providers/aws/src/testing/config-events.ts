// Change events as AWS Config sends them, for tests of this library and of the
// apps built on it (exported as @drift-detective/provider-aws/testing).

/** moto_server's account, and the region the tests run in. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

/**
 * The detail of a "Config Configuration Item Change" event for an S3 bucket,
 * laid out like the documented sample
 * (https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html)
 * and the notification items of the corpus (placebo-sqs-config-notification-*):
 * Block Public Access all off (changed from on) unless `blockOn`.
 */
export function bucketChangeDetail(
  bucket: string,
  blockOn = false,
  at: { account?: string; region?: string; capturedAt?: Date } = {},
): Record<string, unknown> {
  const account = at.account ?? ACCOUNT;
  const region = at.region ?? REGION;
  const now = at.capturedAt ?? new Date();
  const owner = '8ac813c84b8ad4d9f3e35f80aaeb254f85922a902ce87ed6b49ccbfa188f5a12';
  const settings = [
    'BlockPublicAcls',
    'IgnorePublicAcls',
    'BlockPublicPolicy',
    'RestrictPublicBuckets',
  ];
  return {
    recordVersion: '1.3',
    messageType: 'ConfigurationItemChangeNotification',
    configurationItemDiff: {
      changedProperties: Object.fromEntries(
        settings.map((s) => [
          `SupplementaryConfiguration.PublicAccessBlockConfiguration.${s}`,
          { previousValue: !blockOn, updatedValue: blockOn, changeType: 'UPDATE' },
        ]),
      ),
      changeType: 'UPDATE',
    },
    notificationCreationTime: now.toISOString(),
    configurationItem: {
      relatedEvents: [],
      relationships: [],
      configuration: {
        name: bucket,
        owner: { displayName: null, id: owner },
        creationDate: '2024-03-04T10:21:45.000Z',
      },
      supplementaryConfiguration: {
        AccessControlList: JSON.stringify({
          grantSet: null,
          grantList: [{ grantee: { id: owner, displayName: null }, permission: 'FullControl' }],
          owner: { displayName: null, id: owner },
          isRequesterCharged: false,
        }),
        BucketAccelerateConfiguration: { status: null },
        BucketLoggingConfiguration: { destinationBucketName: null, logFilePrefix: null },
        BucketNotificationConfiguration: { configurations: {} },
        BucketVersioningConfiguration: { status: 'Enabled', isMfaDeleteEnabled: null },
        IsRequesterPaysEnabled: false,
        PublicAccessBlockConfiguration: {
          blockPublicAcls: blockOn,
          ignorePublicAcls: blockOn,
          blockPublicPolicy: blockOn,
          restrictPublicBuckets: blockOn,
        },
      },
      tags: { team: 'data' },
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: new Date(now.getTime() - 500).toISOString(),
      configurationStateId: now.getTime(),
      awsAccountId: account,
      configurationItemStatus: 'OK',
      resourceType: 'AWS::S3::Bucket',
      resourceId: bucket,
      resourceName: bucket,
      ARN: bucketArn(bucket),
      awsRegion: region,
      availabilityZone: 'Regional',
      configurationStateMd5Hash: '',
      resourceCreationTime: '2024-03-04T10:21:45.000Z',
    },
  };
}

/** The EventBridge event around a detail, as a rule target receives it (SQS Body text). */
export function bucketChangeEventText(
  bucket: string,
  blockOn = false,
  at: { account?: string; region?: string; capturedAt?: Date } = {},
): string {
  return JSON.stringify({
    version: '0',
    id: `evt-${bucket}`,
    'detail-type': 'Config Configuration Item Change',
    source: 'aws.config',
    account: at.account ?? ACCOUNT,
    time: (at.capturedAt ?? new Date()).toISOString(),
    region: at.region ?? REGION,
    resources: [bucketArn(bucket)],
    detail: bucketChangeDetail(bucket, blockOn, at),
  });
}

interface At {
  readonly account?: string;
  readonly region?: string;
  readonly capturedAt?: Date;
}

/** A notification around one item, as Config sends it (recordVersion 1.3). */
function notification(
  item: Record<string, unknown>,
  at: At,
  changeType: string,
  messageType = 'ConfigurationItemChangeNotification',
): Record<string, unknown> {
  const now = at.capturedAt ?? new Date();
  return {
    recordVersion: '1.3',
    messageType,
    configurationItemDiff: { changedProperties: {}, changeType },
    notificationCreationTime: now.toISOString(),
    configurationItem: {
      relatedEvents: [],
      relationships: [],
      supplementaryConfiguration: {},
      tags: {},
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: new Date(now.getTime() - 500).toISOString(),
      configurationStateId: now.getTime(),
      awsAccountId: at.account ?? ACCOUNT,
      awsRegion: at.region ?? REGION,
      availabilityZone: 'Regional',
      configurationStateMd5Hash: '',
      ...item,
    },
  };
}

/**
 * A bucket's deletion, like the corpus's placebo-sqs-config-notification-s3-deleted:
 * configurationItemStatus ResourceDeleted (or ResourceDeletedNotRecorded), no configuration.
 */
export function bucketDeletedDetail(
  bucket: string,
  status: 'ResourceDeleted' | 'ResourceDeletedNotRecorded' = 'ResourceDeleted',
  at: At = {},
): Record<string, unknown> {
  return notification(
    {
      configuration: null,
      configurationItemStatus: status,
      resourceType: 'AWS::S3::Bucket',
      resourceId: bucket,
      resourceName: bucket,
      ARN: bucketArn(bucket),
      resourceCreationTime: null,
    },
    at,
    'DELETE',
  );
}

/**
 * The account's S3 Block Public Access changed: an AWS::S3::AccountPublicAccessBlock
 * item (resourceId = the account id), as in the corpus's rdk-ci-s3-account-public-access-block.
 */
export function accountBlockChangeDetail(blockOn: boolean, at: At = {}): Record<string, unknown> {
  const account = at.account ?? ACCOUNT;
  return notification(
    {
      configuration: {
        blockPublicAcls: blockOn,
        ignorePublicAcls: blockOn,
        blockPublicPolicy: blockOn,
        restrictPublicBuckets: blockOn,
      },
      configurationItemStatus: 'OK',
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: account,
      resourceName: null,
      ARN: null,
      availabilityZone: 'Not Applicable',
    },
    at,
    'UPDATE',
  );
}

/**
 * An item too large for a notification: only its summary comes
 * (https://docs.aws.amazon.com/config/latest/developerguide/oversized-notification-example.html).
 */
export function oversizedBucketDetail(bucket: string, at: At = {}): Record<string, unknown> {
  const now = at.capturedAt ?? new Date();
  return {
    configurationItemSummary: {
      changeType: 'UPDATE',
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: now.toISOString(),
      configurationStateId: now.getTime(),
      awsAccountId: at.account ?? ACCOUNT,
      configurationItemStatus: 'OK',
      resourceType: 'AWS::S3::Bucket',
      resourceId: bucket,
      resourceName: bucket,
      ARN: bucketArn(bucket),
      awsRegion: at.region ?? REGION,
      availabilityZone: 'Regional',
      configurationStateMd5Hash: '',
      resourceCreationTime: '2024-03-04T10:21:45.000Z',
    },
    s3DeliverySummary: {
      s3BucketLocation: `config-bucket/AWSLogs/${at.account ?? ACCOUNT}/Config/ChangeNotifications/oversized.json.gz`,
      errorCode: null,
      errorMessage: null,
    },
    notificationCreationTime: now.toISOString(),
    messageType: 'OversizedConfigurationItemChangeNotification',
    recordVersion: '1.0',
  };
}
