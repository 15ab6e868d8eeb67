import { ConfigurationNotIncluded } from '@drift-detective/resource-model';
import { NormalizeError, ResourceDeletedNotice } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { awsInventory } from '../src/index.js';
import {
  corpus,
  defined,
  encodedStrings,
  native,
  normalizeError,
  normalizeOne,
  SCAN_STARTED,
  scan,
  scanContext,
} from './helpers.js';

describe('fields every AWS resource carries', () => {
  it.each([
    {
      name: 'API envelope (arn, accountId), capture time with offset and microseconds',
      document: () => corpus('aws/config-ci-api-s3-bucket.json'),
      expected: {
        provider: 'aws',
        kind: 'storage.bucket',
        nativeType: 'AWS::S3::Bucket',
        id: 'arn:aws:s3:::config-rule-sanity',
        name: 'config-rule-sanity',
        account: '644160558196',
        region: 'us-east-2',
        tags: { Planet: 'Earth', Verbose: 'Game' },
        observedAt: '2017-02-04T11:10:33.880Z',
      },
    },
    {
      name: 'capture time as epoch seconds',
      document: () => corpus('aws/config-ci-api-s3-bucket-lifecycle.json'),
      expected: { id: 'arn:aws:s3:::testing-99', observedAt: '2017-08-12T04:02:36.116Z' },
    },
    {
      name: 'notification envelope (ARN, awsAccountId); RDS tags from the tags map',
      document: () => corpus('aws/config-rule-event-rds-dbinstance.json'),
      expected: {
        id: 'arn:aws:rds:us-east-1:644160558196:db:c7n-data-index',
        name: 'c7n-data-index',
        account: '644160558196',
        tags: { 'workload-type': 'other' },
        observedAt: '2017-10-30T16:28:22.554Z',
      },
    },
    {
      name: 'IAM region "global" stays "global"',
      document: () => corpus('aws/rdk-ci-iam-role.json'),
      expected: { region: 'global', name: 'config-role-ezcrc2' },
    },
    {
      name: 'SelectResourceConfig row of a bucket: ARN built from the name, no account in the row, scan time',
      document: () => corpus('aws/placebo-config-select-s3-bucket.json'),
      expected: {
        id: 'arn:aws:s3:::c7n-ssm-build',
        name: 'c7n-ssm-build',
        account: '',
        region: 'us-east-2',
        observedAt: SCAN_STARTED,
      },
    },
    {
      name: 'SelectResourceConfig row of a role: type and account from configuration.arn',
      document: () => corpus('aws/placebo-config-select-iam-role.json'),
      expected: {
        nativeType: 'AWS::IAM::Role',
        id: 'arn:aws:iam::644160558196:role/custodian-testing',
        name: 'AROAY5Y4D45RMKKKBXNQ3',
        account: '644160558196',
        region: null,
      },
    },
    {
      name: 'unsupported type: kind other, properties empty, native kept',
      document: () => corpus('aws/config-history-rds-cluster.json'),
      expected: {
        kind: 'other',
        nativeType: 'AWS::RDS::DBCluster',
        id: 'arn:aws:rds:us-east-1:644160558196:cluster:database-1',
        name: 'database-1',
        properties: {},
        tags: {
          ASV: 'ASVMCNASTY',
          Owner: 'Mc-Mcslice',
          ResourceCreator: 'john-hillegass',
          'c7n-ResourceCreatedTime': '2020-10-20 15:52:44.809783',
          'c7n-resource-classification': 'net-new',
        },
      },
    },
  ])('$name', ({ document, expected, name }) => {
    expect(normalizeOne(document(), name)).toMatchObject(expected);
  });

  it('reads placebo datetime objects as UTC', () => {
    const [first] = scan(corpus('aws/placebo-config-history-sg.json'), 'sg').resources;
    expect(first?.observedAt).toBe('2016-12-11T06:04:03.800Z');
  });

  it('keeps the native item fully decoded (API shape: configuration, every supplementary value, ACL twice, policy text)', () => {
    const resource = normalizeOne(native('s3-bucket-api-shape-block-and-encryption.json'), 'api');
    expect(encodedStrings(resource.native)).toEqual([]);
    expect(resource.native).toMatchObject({
      arn: 'arn:aws:s3:::acme-api-shape',
      configuration: { name: 'acme-api-shape' },
      supplementaryConfiguration: {
        AccessControlList: {
          grantList: [{ permission: 'FullControl' }, { grantee: 'AuthenticatedUsers' }],
        },
        BucketPolicy: { policyText: { Version: '2012-10-17' } },
        IsRequesterPaysEnabled: false,
        PublicAccessBlockConfiguration: { blockPublicAcls: true },
      },
    });
  });

  it('does not change the record it was given', () => {
    const document = native('s3-bucket-api-shape-block-and-encryption.json');
    const before = structuredClone(document);
    normalizeOne(document, 'api');
    expect(document).toEqual(before);
  });

  it('turns a configurationItemDiff into resource.change', () => {
    const resource = normalizeOne(
      native('eventbridge-config-item-change-bucket-block-off.json'),
      'event',
    );
    expect(resource.change).toEqual({
      changedAt: '2024-05-14T19:00:00.500Z',
      changeType: 'update',
      fields: [
        'BlockPublicAcls',
        'BlockPublicPolicy',
        'IgnorePublicAcls',
        'RestrictPublicBuckets',
      ].map((name) => ({
        path: `SupplementaryConfiguration.PublicAccessBlockConfiguration.${name}`,
        before: true,
        after: false,
      })),
      relatedEvents: ['6b1f7c3e-0d4a-4f2e-9b8a-2c1d0e9f8a7b'],
    });
  });

  it('keeps changedProperties whose values are objects (Config rule event with diff)', () => {
    const resource = normalizeOne(corpus('aws/config-rule-event-elbv2-with-diff.json'), 'elb');
    expect(resource.change).toEqual({
      changedAt: '2018-09-14T10:38:48.177Z',
      changeType: 'update',
      fields: [
        {
          path: 'SupplementaryConfiguration.Tags.0',
          before: null,
          after: { key: 'App', value: 'DevTest' },
        },
        {
          path: 'SupplementaryConfiguration.Tags.1',
          before: null,
          after: { key: 'Env', value: 'Dev' },
        },
      ],
      relatedEvents: [],
    });
  });

  it('has no change for items that did not come with a diff', () => {
    expect(normalizeOne(corpus('aws/rdk-ci-s3-bucket.json'), 'rdk').change).toBeUndefined();
  });
});

describe('records that give no resource', () => {
  it('throws ResourceDeletedNotice for a ResourceDeleted item, naming its ARN', () => {
    const error = normalizeError(
      corpus('aws/placebo-sqs-config-notification-s3-deleted.json'),
      'del',
    );
    expect(error).toBeInstanceOf(ResourceDeletedNotice);
    expect((error as ResourceDeletedNotice).resourceId).toBe('arn:aws:s3:::custodian-test-data-21');
  });

  it('throws ResourceDeletedNotice for ResourceDeletedNotRecorded, naming the resourceId without an ARN', () => {
    const item = structuredClone(native('dd-net-001-violating-ssh-open.json')) as Record<
      string,
      unknown
    >;
    item['configurationItemStatus'] = 'ResourceDeletedNotRecorded';
    item['configuration'] = null;
    delete item['ARN'];
    const error = normalizeError(item, 'gone');
    expect(error).toBeInstanceOf(ResourceDeletedNotice);
    expect((error as ResourceDeletedNotice).resourceId).toBe('sg-0a11aa11aa11aa11a');
  });

  it('names the resource of an oversized notification and says how to get it', () => {
    const error = normalizeError(native('eventbridge-oversized-item-change.json'), 'big');
    expect(error.message).toBe(
      'big: oversized configuration item: fetch it with GetResourceConfigHistory (AWS::EC2::Instance arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60718)',
    );
    // What an adapter needs to fetch it: GetResourceConfigHistory(resourceType, resourceId, limit 1).
    expect(error).toBeInstanceOf(ConfigurationNotIncluded);
    expect((error as ConfigurationNotIncluded).resource).toEqual({
      type: 'AWS::EC2::Instance',
      id: 'i-0a1b2c3d4e5f60718',
      region: 'us-east-1',
      account: '123456789012',
    });
  });

  it('rejects a scheduled Config rule event: it holds no configuration item', () => {
    const error = normalizeError(corpus('aws/config-rule-event-scheduled.json'), 'tick');
    expect(error.message).toBe('tick: no configuration item (messageType ScheduledNotification)');
  });

  it('keeps AWS::S3::AccountPublicAccessBlock as context: collect takes it, normalize refuses it', () => {
    const context = scanContext();
    const [record] = awsInventory.unwrap(
      corpus('aws/rdk-ci-s3-account-public-access-block.json'),
      'pab',
    );
    expect(awsInventory.collect(defined(record), context)).toBe(true);
    expect(context.get('aws:s3:accountPublicAccessBlock:123456789012')).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect(() => awsInventory.normalize(defined(record), context)).toThrow(
      /context for the account's buckets/,
    );
  });

  it('collect leaves every other record to normalize', () => {
    const context = scanContext();
    for (const record of awsInventory.unwrap(corpus('aws/rdk-ci-s3-bucket.json'), 'b')) {
      expect(awsInventory.collect(record, context)).toBe(false);
    }
    expect(awsInventory.leftovers(context)).toEqual([]);
  });

  it.each([
    { name: 'not an object', value: 'text', reason: /not a JSON object/ },
    {
      name: 'configuration JSON that does not parse',
      value: { resourceType: 'AWS::S3::Bucket', configuration: '{"name":' },
      reason: /configuration is not valid JSON/,
    },
    {
      name: 'no type',
      value: { configuration: { a: 1 }, supplementaryConfiguration: {} },
      reason: /no resourceType/,
    },
    {
      name: 'supported type without configuration',
      value: {
        resourceType: 'AWS::KMS::Key',
        ARN: 'arn:aws:kms:us-east-1:1:key/k',
        configurationItemStatus: 'ResourceNotRecorded',
      },
      reason: /AWS::KMS::Key item has no configuration \(status ResourceNotRecorded\)/,
    },
    {
      name: 'unsupported type without ARN',
      value: { resourceType: 'AWS::SSM::Document', resourceId: 'doc', configuration: {} },
      reason: /AWS::SSM::Document item has no ARN/,
    },
  ])('throws NormalizeError naming the source for a record with $name', ({ value, reason }) => {
    let thrown: unknown;
    try {
      awsInventory.normalize({ provider: 'aws', source: 'in.json[3]', value }, scanContext());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NormalizeError);
    expect((thrown as NormalizeError).source).toBe('in.json[3]');
    expect((thrown as NormalizeError).message).toMatch(reason);
  });
});

describe('an item whose time or account is no time or account', () => {
  const item = (changes: Record<string, unknown>) => ({
    ...(structuredClone(native('dd-net-001-violating-ssh-open.json')) as Record<string, unknown>),
    ...changes,
  });

  it.each([
    ['text that is no time', 'yesterday', /configurationItemCaptureTime "yesterday" is not a time/],
    ['a date that does not exist', '2024-02-30T10:00:00Z', /"2024-02-30T10:00:00Z" is not a time/],
    ['a negative epoch', -5, /configurationItemCaptureTime -5 is not a time/],
    ['an object', { when: 'now' }, /configurationItemCaptureTime \{"when":"now"\} is not a time/],
  ])('is skipped with the reason, not observed "now": capture time as %s', (_, time, reason) => {
    const error = normalizeError(item({ configurationItemCaptureTime: time }), 'bad-time');
    expect(error).not.toBeInstanceOf(ResourceDeletedNotice);
    expect(error.message).toMatch(reason);
  });

  it('refuses an unreadable time on a deletion too, rather than a deletion at no time', () => {
    const error = normalizeError(
      item({ configurationItemStatus: 'ResourceDeleted', configurationItemCaptureTime: 'soon' }),
      'bad-deletion',
    );
    expect(error).not.toBeInstanceOf(ResourceDeletedNotice);
    expect(error.message).toMatch(/configurationItemCaptureTime "soon" is not a time/);
  });

  it('still takes the scan time for an item that states no capture time at all', () => {
    const { configurationItemCaptureTime: _, ...rest } = item({});
    expect(normalizeOne(rest, 'no-time').observedAt).toBe(SCAN_STARTED);
  });

  it.each([
    ['awsAccountId', 1.5e308, /awsAccountId 1\.5e\+308 is not an AWS account id \(12 digits\)/],
    ['awsAccountId', 123456789012, /awsAccountId 123456789012 is not an AWS account id/],
    ['awsAccountId', '12345', /awsAccountId "12345" is not an AWS account id/],
    ['accountId', 'not-an-account', /accountId "not-an-account" is not an AWS account id/],
  ])('is skipped with a reason naming %s when it is %s', (field, value, reason) => {
    const { awsAccountId: _, ...rest } = item({});
    const error = normalizeError({ ...rest, [field]: value }, 'bad-account');
    expect(error).toBeInstanceOf(NormalizeError);
    expect(error.message).toMatch(reason);
  });

  it('keeps an account block with an account that is none out of the context, and says why', () => {
    const block = structuredClone(corpus('aws/rdk-ci-s3-account-public-access-block.json'));
    const record = awsInventory.unwrap(block, 'block')[0]!;
    const value = { ...(record.value as Record<string, unknown>) };
    for (const field of ['awsAccountId', 'accountId']) {
      if (field in value) value[field] = 1.5e308;
    }
    const context = scanContext();
    expect(awsInventory.collect({ ...record, value }, context)).toBe(false);
    expect(() => awsInventory.normalize({ ...record, value }, context)).toThrow(
      /is not an AWS account id/,
    );
  });
});
