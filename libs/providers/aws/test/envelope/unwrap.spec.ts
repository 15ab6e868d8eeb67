import { NormalizeError } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { awsInventory } from '../../src/index.js';
import { corpus, native, scan } from '../helpers.js';

const unwrap = (document: unknown, source = 'doc') => awsInventory.unwrap(document, source);

/** The resource ids a document gives, in order. */
function ids(document: unknown): string[] {
  const result = scan(document, 'doc');
  expect(result.errors).toEqual([]);
  return result.resources.map((r) => r.id);
}

describe('unwrap: every input shape yields configuration items', () => {
  it.each([
    {
      shape: 'one item, notification envelope',
      document: () => corpus('aws/rdk-ci-s3-bucket.json'),
      ids: ['arn:aws:s3:::mborch-test-bucket-config-item'],
    },
    {
      shape: 'one item, API envelope',
      document: () => corpus('aws/config-ci-api-s3-bucket.json'),
      ids: ['arn:aws:s3:::config-rule-sanity'],
    },
    {
      shape: 'an array of items',
      document: () => corpus('aws/rdk-ci-lambda-function.json'),
      ids: ['arn:aws:lambda:us-east-1:823362693882:function:test-function'],
    },
    {
      shape: 'GetResourceConfigHistory answer {configurationItems}',
      document: () => corpus('aws/config-history-rds-cluster.json'),
      ids: ['arn:aws:rds:us-east-1:644160558196:cluster:database-1'],
    },
    {
      shape: 'placebo recording of GetResourceConfigHistory (two versions)',
      document: () => corpus('aws/placebo-config-history-sg.json'),
      ids: [
        'arn:aws:ec2:us-east-1:644160558196:security-group/sg-a38ed1de',
        'arn:aws:ec2:us-east-1:644160558196:security-group/sg-a38ed1de',
      ],
    },
    {
      shape: 'Config snapshot file {fileVersion, configSnapshotId, configurationItems}',
      document: () => ({
        fileVersion: '1.0',
        configSnapshotId: '16da64e4-cb65-4846-b061-e6c3ba43cb96',
        configurationItems: [
          corpus('aws/rdk-ci-s3-bucket.json'),
          corpus('aws/rdk-ci-iam-user.json'),
        ],
      }),
      ids: [
        'arn:aws:s3:::mborch-test-bucket-config-item',
        'arn:aws:iam::112233445566:user/johndoe',
      ],
    },
    {
      shape: 'BatchGetResourceConfig answer {baseConfigurationItems} (account block is context)',
      document: () => native('batch-get-resource-config-account-block-and-bucket.json'),
      ids: ['arn:aws:s3:::acme-behind-account-block'],
    },
    {
      shape: 'EventBridge "Config Configuration Item Change" event',
      document: () => native('eventbridge-config-item-change-bucket-block-off.json'),
      ids: ['arn:aws:s3:::acme-reports-open'],
    },
    {
      shape: 'SQS ReceiveMessage answer → Body → SNS Message → notification (placebo)',
      document: () => corpus('aws/placebo-sqs-config-notification-s3-created.json'),
      ids: ['arn:aws:s3:::custodian-test-data-23'],
    },
    {
      shape: 'one SQS message {Body}',
      document: () =>
        (
          corpus('aws/placebo-sqs-config-notification-s3-discovered.json') as {
            data: { Messages: unknown[] };
          }
        ).data.Messages[0],
      ids: ['arn:aws:s3:::custodian-test-s3confignormalize'],
    },
    {
      shape: 'an SNS notification {Type: "Notification", Message}',
      document: () =>
        JSON.parse(
          (
            corpus('aws/placebo-sqs-config-notification-s3-discovered.json') as {
              data: { Messages: { Body: string }[] };
            }
          ).data.Messages[0]?.Body ?? 'null',
        ),
      ids: ['arn:aws:s3:::custodian-test-s3confignormalize'],
    },
    {
      shape: 'Config rule Lambda event {invokingEvent}',
      document: () => corpus('aws/config-rule-event-security-group-open-ssh.json'),
      ids: ['arn:aws:ec2:eu-west-1:123456789012:security-group/sg-e2fb6999'],
    },
    {
      shape: 'Lambda event from SQS {Records: [{eventSource: "aws:sqs", body}]}',
      document: () => native('lambda-sqs-event-security-group-change.json'),
      ids: ['arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a11aa11aa11aa11a'],
    },
    {
      shape: 'SelectResourceConfig answer {Results: [JSON text], QueryInfo} (placebo)',
      document: () => corpus('aws/placebo-config-select-kms-key.json'),
      ids: ['arn:aws:kms:us-east-2:644160558196:key/9975ba19-f8ff-444b-9c21-8d42cc6dc45b'],
    },
    {
      shape: 'GetAggregateResourceConfig answer {configurationItem}',
      document: () => ({ configurationItem: corpus('aws/rdk-ci-kms-key.json') }),
      ids: ['arn:aws:kms:us-east-1:123456789012:key/test'],
    },
    {
      shape: 'Lambda event from SNS {Records: [{EventSource: "aws:sns", Sns: {Message}}]}',
      document: () => ({
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:config-topic:1',
            Sns: {
              Type: 'Notification',
              MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
              TopicArn: 'arn:aws:sns:us-east-1:123456789012:config-topic',
              Message: JSON.stringify({
                messageType: 'ConfigurationItemChangeNotification',
                configurationItem: native('dd-db-001-violating-rds-public.json'),
              }),
            },
          },
        ],
      }),
      ids: ['arn:aws:rds:us-east-1:123456789012:db:orders-public'],
    },
  ])('$shape', ({ document, ids: expected }) => {
    expect(ids(document())).toEqual(expected);
  });

  it('names records by position in lists', () => {
    const sources = unwrap(corpus('aws/placebo-config-history-sg.json'), 'history.json').map(
      (r) => r.source,
    );
    expect(sources).toEqual(['history.json[0]', 'history.json[1]']);
  });

  it('keeps the notification around the item so normalize sees the diff', () => {
    const [record] = unwrap(corpus('aws/config-rule-event-elbv2-with-diff.json'));
    expect(record?.value).toMatchObject({
      messageType: 'ConfigurationItemChangeNotification',
      configurationItemDiff: { changeType: 'UPDATE' },
    });
  });

  it('gives an oversized notification as a record that normalize rejects, leaving its neighbours', () => {
    const batch = {
      Messages: [
        { Body: JSON.stringify(native('eventbridge-oversized-item-change.json')) },
        { Body: JSON.stringify(native('eventbridge-config-item-change-bucket-block-off.json')) },
      ],
    };
    const result = scan(batch, 'batch');
    expect(result.resources.map((r) => r.id)).toEqual(['arn:aws:s3:::acme-reports-open']);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('batch[0]: oversized configuration item'),
    ]);
  });

  it('splits the 2014 notification format (configurationItem as a list)', () => {
    const records = unwrap({
      messageType: 'ConfigurationItemChangeNotification',
      configurationItem: [corpus('aws/rdk-ci-s3-bucket.json'), corpus('aws/rdk-ci-kms-key.json')],
    });
    expect(records.map((r) => r.source)).toEqual(['doc[0]', 'doc[1]']);
  });

  it.each([
    { name: 'a string', document: 'hello', reason: /not a JSON object or array/ },
    {
      name: 'an unknown object',
      document: { kind: 'storage#bucket' },
      reason: /not an AWS Config document/,
    },
    {
      name: 'an SNS Message that is not JSON',
      document: { Type: 'Notification', Message: '{"config' },
      reason: /Message is not valid JSON/,
    },
    {
      name: 'an SQS Body that is not JSON',
      document: { Body: 'hello' },
      reason: /Body is not valid JSON/,
    },
    {
      name: 'a Lambda event record from another source',
      document: {
        Records: [
          {
            eventSource: 'aws:sqs',
            body: JSON.stringify(native('dd-db-001-violating-rds-public.json')),
          },
          { eventSource: 'aws:s3', s3: { bucket: { name: 'b' } } },
        ],
      },
      reason: /doc\[1\]: Lambda event record from neither SQS nor SNS/,
    },
  ])('throws NormalizeError on $name', ({ document, reason }) => {
    expect(() => unwrap(document)).toThrow(NormalizeError);
    expect(() => unwrap(document)).toThrow(reason);
  });

  it.each([
    [
      'placebo-s3-raw-get-bucket-lifecycle-configuration.json',
      /status 404 \(NoSuchLifecycleConfiguration\)/,
    ],
    ['placebo-s3-raw-get-bucket-acl.json', /answered with no configuration items/],
  ])('refuses the placebo recording %s, which holds no configuration item', (file, reason) => {
    expect(() => unwrap(corpus(`aws/${file}`), file)).toThrow(reason);
  });
});
