import type { ConfigurationItem } from '@aws-sdk/client-config-service';
import { CreateBucketCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  ConfigurationNotIncluded,
  createInventoryContext,
  type PropertiesOf,
  type Resource,
} from '@drift-detective/resource-model';
import { startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchLatestConfiguration,
  latestItemDocument,
  type HistoryPage,
} from '../../src/config/history-fetch.js';
import { awsInventory } from '../../src/index.js';
import { corpus, defined, native } from '../helpers.js';
import { asBatchGetItem, logCalls, normalizeDocument } from './helpers.js';
import { MOTO_ACCOUNT, motoConfigClient, motoIamClient, motoS3Client } from './moto.js';

/**
 * The oversized-notification fixture (an EventBridge event whose detail holds
 * only a configurationItemSummary), renamed to a resource of moto's.
 */
function oversizedEvent(resourceType: string, resourceId: string, arn: string): unknown {
  const event = native('eventbridge-oversized-item-change.json') as {
    detail: { configurationItemSummary: Record<string, unknown> };
  };
  Object.assign(event.detail.configurationItemSummary, {
    resourceType,
    resourceId,
    resourceName: resourceId,
    ARN: arn,
  });
  return event;
}

/** The ConfigurationNotIncluded normalize throws for an oversized event. */
function notIncluded(event: unknown): ConfigurationNotIncluded {
  const [record] = awsInventory.unwrap(event, 'event');
  try {
    awsInventory.normalize(defined(record, 'record'), createInventoryContext());
  } catch (error) {
    if (error instanceof ConfigurationNotIncluded) return error;
    throw error;
  }
  throw new Error('expected ConfigurationNotIncluded');
}

describe('fetchLatestConfiguration against moto (GetResourceConfigHistory)', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(async () => {
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
  });

  it('fetches the item an oversized event names, as a plain-JSON list document the inventory reads', async () => {
    const s3 = motoS3Client(moto.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'oversized-bucket' }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'oversized-bucket',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: false,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: false,
        },
      }),
    );
    const missing = notIncluded(
      oversizedEvent('AWS::S3::Bucket', 'oversized-bucket', 'arn:aws:s3:::oversized-bucket'),
    );
    const document = await fetchLatestConfiguration(motoConfigClient(moto.endpoint), missing);

    expect(Array.isArray(document.configurationItems)).toBe(true);
    expect(document.configurationItems).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    const [item] = document.configurationItems as Record<string, unknown>[];
    expect(item?.['configurationItemCaptureTime']).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );

    const [bucket, ...rest] = normalizeDocument(document, 'fetched');
    expect(rest).toEqual([]);
    expect(bucket?.id).toBe('arn:aws:s3:::oversized-bucket');
    expect(bucket?.account).toBe(MOTO_ACCOUNT);
    expect((bucket?.properties as PropertiesOf<'storage.bucket'>).publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    });
  });

  it('fetches a global IAM role by its resource id', async () => {
    const role = await motoIamClient(moto.endpoint).send(
      new CreateRoleCommand({
        RoleName: 'fetched-role',
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
    const id = role.Role?.RoleId ?? '';
    const missing = new ConfigurationNotIncluded('queue:1', 'oversized', {
      type: 'AWS::IAM::Role',
      id,
    });
    const document = await fetchLatestConfiguration(motoConfigClient(moto.endpoint), missing);
    const [resource] = normalizeDocument(document, 'fetched') as [Resource];
    expect(resource.id).toBe(`arn:aws:iam::${MOTO_ACCOUNT}:role/fetched-role`);
    expect(resource.kind).toBe('iam.policy');
    expect(resource.region).toBe('global');
  });

  it('lets the service error of an unknown resource through', async () => {
    const missing = new ConfigurationNotIncluded('queue:1', 'oversized', {
      type: 'AWS::S3::Bucket',
      id: 'never-created',
    });
    await expect(
      fetchLatestConfiguration(motoConfigClient(moto.endpoint), missing),
    ).rejects.toMatchObject({ name: 'ResourceNotDiscoveredException' });
  });

  it('refuses a record naming no type or id, without calling', async () => {
    const client = motoConfigClient(moto.endpoint);
    const log = logCalls(client);
    const missing = new ConfigurationNotIncluded('queue:7', 'oversized', { id: 'b' });
    await expect(fetchLatestConfiguration(client, missing)).rejects.toThrow(
      'cannot fetch the configuration of unknown type b (queue:7): the record names no type or id',
    );
    expect(log.calls).toEqual([]);
  });
});

describe('latestItemDocument (the history pages, fed by hand)', () => {
  const item = (id: string): ConfigurationItem => ({
    resourceType: 'AWS::S3::Bucket',
    resourceId: id,
    configurationItemCaptureTime: new Date(Date.UTC(2024, 4, 14, 19)),
  });
  /** Pages in order; each names the next by its index. */
  const pages = (...contents: ConfigurationItem[][]) => {
    const asked: (string | undefined)[] = [];
    const page: HistoryPage = (token) => {
      asked.push(token);
      const index = token === undefined ? 0 : Number(token);
      const next = index + 1 < contents.length ? String(index + 1) : undefined;
      return Promise.resolve({ items: contents[index] ?? [], nextToken: next });
    };
    return { page, asked };
  };

  it('follows empty pages with a nextToken to the first item', async () => {
    const { page, asked } = pages([], [], [item('b')], [item('older')]);
    const document = await latestItemDocument(page, 'AWS::S3::Bucket b', 5);
    expect(document.configurationItems).toEqual([
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'b',
        configurationItemCaptureTime: '2024-05-14T19:00:00.000Z',
      },
    ]);
    expect(asked).toEqual([undefined, '1', '2']);
  });

  it('throws naming the resource when the list is empty and ends', async () => {
    await expect(latestItemDocument(pages([]).page, 'AWS::S3::Bucket b (q:1)', 5)).rejects.toThrow(
      'AWS Config has no configuration item for AWS::S3::Bucket b (q:1)',
    );
  });

  it('gives up after maxPages empty pages', async () => {
    const { page, asked } = pages([], [], [], [item('late')]);
    await expect(latestItemDocument(page, 'AWS::S3::Bucket b', 2)).rejects.toThrow(
      'AWS Config returned no configuration item for AWS::S3::Bucket b in 2 page(s)',
    );
    expect(asked).toHaveLength(2);
  });

  it('stops when a page answers the token it was asked with', async () => {
    const page: HistoryPage = () => Promise.resolve({ items: [], nextToken: 'same' });
    await expect(latestItemDocument(page, 'x', 10)).rejects.toThrow('no configuration item for x');
  });

  it('decodes a recorded GetResourceConfigHistory answer (RDS cluster, offset capture time)', async () => {
    // moto's Config does not model RDS: the recorded answer (Cloud Custodian's
    // config-history-rds-cluster.json) is read as the SDK would hand it over.
    const recorded = corpus('aws/config-history-rds-cluster.json') as {
      configurationItems: Record<string, unknown>[];
    };
    const items = recorded.configurationItems.map(asBatchGetItem) as ConfigurationItem[];
    const document = await latestItemDocument(
      () => Promise.resolve({ items, nextToken: undefined }),
      'AWS::RDS::DBCluster database-1',
      5,
    );
    const [item] = document.configurationItems as Record<string, unknown>[];
    // 2020-11-02T03:28:12.399000-05:00 on the wire.
    expect(item?.['configurationItemCaptureTime']).toBe('2020-11-02T08:28:12.399Z');
    const [cluster] = normalizeDocument(document, 'history') as [Resource];
    expect(cluster.id).toBe('arn:aws:rds:us-east-1:644160558196:cluster:database-1');
    expect(cluster.nativeType).toBe('AWS::RDS::DBCluster');
    expect(cluster.observedAt).toBe('2020-11-02T08:28:12.399Z');
  });
});
