import type { BaseConfigurationItem, ResourceKey } from '@aws-sdk/client-config-service';
import type { PropertiesOf } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { UnprocessedKeysError } from '../../src/config/batch-get.js';
import { readPageDocument, type AccountBlockCache } from '../../src/config/page-document.js';
import type { PageSource } from '../../src/config/sources.js';
import { ACCOUNT_PUBLIC_ACCESS_BLOCK, SUPPORTED_TYPES } from '../../src/index.js';
import { corpus, native, normalizeOne } from '../helpers.js';
import { asBatchGetItem, normalizeDocument } from './helpers.js';

type Fixture = Record<string, unknown>;

/** The one item of a corpus file (the Lambda one is a list of one). */
function fixtureItem(file: string): Fixture {
  const value = corpus(`aws/${file}`);
  return (Array.isArray(value) ? value[0] : value) as Fixture;
}

const keyOf = (item: BaseConfigurationItem): ResourceKey => ({
  resourceType: item.resourceType,
  resourceId: item.resourceId,
});

/**
 * A PageSource over recorded items: BatchGetResourceConfig answers built from
 * them (the seam the sweep's per-page processing takes; no SDK client is
 * involved). `refusals` leaves a key unprocessed that many times first.
 */
function recordedSource(
  items: readonly BaseConfigurationItem[],
  accountBlocks: readonly BaseConfigurationItem[] = [],
  refusals: Record<string, number> = {},
) {
  const stats = { batchGets: [] as string[][], blockLookups: [] as string[] };
  const describeKey = (key: ResourceKey) => `${key.resourceType} ${key.resourceId}`;
  const source: PageSource<ResourceKey> = {
    batchGet: (keys) => {
      stats.batchGets.push(keys.map(describeKey));
      const found: BaseConfigurationItem[] = [];
      const unprocessed: ResourceKey[] = [];
      for (const key of keys) {
        const name = describeKey(key);
        if ((refusals[name] ?? 0) > 0) {
          refusals[name] = (refusals[name] ?? 0) - 1;
          unprocessed.push(key);
          continue;
        }
        const item = [...items, ...accountBlocks].find(
          (candidate) =>
            candidate.resourceType === key.resourceType && candidate.resourceId === key.resourceId,
        );
        if (item) found.push(item);
      }
      return Promise.resolve({ items: found, unprocessed });
    },
    accountBlockKeys: (bucket) => {
      stats.blockLookups.push(bucket.accountId ?? '');
      return Promise.resolve(
        accountBlocks.filter((block) => block.resourceId === bucket.accountId).map(keyOf),
      );
    },
    accountBlockScope: (bucket) => bucket.accountId ?? '',
    describeKey,
  };
  return { source, stats };
}

const noWait = { sleep: () => Promise.resolve() };

describe('readPageDocument over recorded items of the types moto does not model', () => {
  it.each([
    'rdk-ci-ec2-instance.json',
    'rdk-ci-ec2-security-group.json',
    'rdk-ci-rds-dbinstance.json',
    'rdk-ci-kms-key.json',
    'rdk-ci-lambda-function.json',
    'rdk-ci-cloudtrail-trail.json',
    'rdk-ci-iam-user.json',
  ])(
    '%s: keys → answer → plain JSON document → the same resource as the recorded item',
    async (file) => {
      const fixture = fixtureItem(file);
      const item = asBatchGetItem(fixture);
      const { source } = recordedSource([item]);
      const document = await readPageDocument([keyOf(item)], source, new Map(), noWait);
      expect(document).not.toBeNull();
      // Plain JSON: what the wire carried, timestamps as text.
      expect(JSON.parse(JSON.stringify(document))).toEqual(document);
      const [written] = document?.baseConfigurationItems ?? [];
      expect((written as Fixture)['configurationItemCaptureTime']).toBe(
        new Date(fixture['configurationItemCaptureTime'] as string).toISOString(),
      );

      const [resource, ...rest] = normalizeDocument(document, file);
      expect(rest).toEqual([]);
      const type = fixture['resourceType'] as string;
      expect(resource?.kind).toBe(SUPPORTED_TYPES[type]);
      expect(resource?.id).toBe(fixture['arn'] ?? fixture['ARN']);
      // Read through the sweep, the item normalizes as the recorded item itself does.
      const recorded = normalizeOne(fixture, file);
      expect(resource?.properties).toEqual(recorded.properties);
      expect([resource?.account, resource?.region, resource?.observedAt]).toEqual([
        recorded.account,
        recorded.region,
        recorded.observedAt,
      ]);
    },
  );

  it('returns null when no key returned an item (deleted since the listing)', async () => {
    const { source } = recordedSource([]);
    const gone = { resourceType: 'AWS::EC2::Instance', resourceId: 'i-gone' } as ResourceKey;
    expect(await readPageDocument([gone], source, new Map(), noWait)).toBeNull();
  });
});

describe('readPageDocument: the account Block Public Access goes with the buckets', () => {
  // A BatchGetResourceConfig answer holding an account block and a bucket of that account.
  const answer = native('batch-get-resource-config-account-block-and-bucket.json') as {
    baseConfigurationItems: Fixture[];
  };
  const [block, bucket] = answer.baseConfigurationItems.map(asBatchGetItem) as [
    BaseConfigurationItem,
    BaseConfigurationItem,
  ];
  const secondBucket = {
    ...bucket,
    resourceId: 'second',
    resourceName: 'second',
    arn: 'arn:aws:s3:::second',
  };
  const otherAccountBucket = {
    ...bucket,
    accountId: '210987654321',
    resourceId: 'elsewhere',
    resourceName: 'elsewhere',
    arn: 'arn:aws:s3:::elsewhere',
  };
  const kms = asBatchGetItem(fixtureItem('rdk-ci-kms-key.json'));

  it('puts the account block first, and the bucket is judged with it', async () => {
    const { source } = recordedSource([bucket], [block]);
    const document = await readPageDocument([keyOf(bucket)], source, new Map(), noWait);
    const items = (document?.baseConfigurationItems ?? []) as Fixture[];
    expect(items.map((item) => item['resourceType'])).toEqual([
      ACCOUNT_PUBLIC_ACCESS_BLOCK,
      'AWS::S3::Bucket',
    ]);
    const [resource, ...rest] = normalizeDocument(document, 'page');
    expect(rest).toEqual([]);
    const properties = resource?.properties as PropertiesOf<'storage.bucket'>;
    expect(properties.accountPublicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
  });

  it('without it (the same answer, no block) the bucket has no account setting', async () => {
    const { source } = recordedSource([bucket], []);
    const document = await readPageDocument([keyOf(bucket)], source, new Map(), noWait);
    const [resource] = normalizeDocument(document, 'page');
    expect(
      (resource?.properties as PropertiesOf<'storage.bucket'>).accountPublicAccessBlock,
    ).toBeNull();
  });

  it('looks each account up once per sweep, and prepends it to every page with its buckets', async () => {
    const { source, stats } = recordedSource(
      [bucket, secondBucket, otherAccountBucket, kms],
      [block],
    );
    const cache: AccountBlockCache = new Map();
    const first = await readPageDocument(
      [keyOf(bucket), keyOf(secondBucket)],
      source,
      cache,
      noWait,
    );
    const second = await readPageDocument(
      [keyOf(kms), keyOf(otherAccountBucket)],
      source,
      cache,
      noWait,
    );
    const third = await readPageDocument([keyOf(secondBucket)], source, cache, noWait);
    const kms1 = await readPageDocument([keyOf(kms)], source, cache, noWait);
    const types = (document: typeof first) =>
      ((document?.baseConfigurationItems ?? []) as Fixture[]).map((item) => item['resourceId']);
    expect(types(first)).toEqual(['123456789012', bucket.resourceId, 'second']);
    // The other account has no block recorded: nothing to prepend, and not asked again.
    expect(types(second)).toEqual([kms.resourceId, 'elsewhere']);
    expect(types(third)).toEqual(['123456789012', 'second']);
    expect(types(kms1)).toEqual([kms.resourceId]);
    expect(stats.blockLookups).toEqual(['123456789012', '210987654321']);
  });

  it('retries keys left unprocessed, and fails naming them when they stay so', async () => {
    const refusing = recordedSource([bucket, kms], [block], {
      [`AWS::KMS::Key ${kms.resourceId}`]: 1,
    });
    const document = await readPageDocument(
      [keyOf(bucket), keyOf(kms)],
      refusing.source,
      new Map(),
      noWait,
    );
    expect(
      normalizeDocument(document, 'page')
        .map((r) => r.kind)
        .sort(),
    ).toEqual(['kms.key', 'storage.bucket']);
    expect(refusing.stats.batchGets[1]).toEqual([`AWS::KMS::Key ${kms.resourceId}`]);

    const stuck = recordedSource([bucket], [block], {
      [`${ACCOUNT_PUBLIC_ACCESS_BLOCK} 123456789012`]: 99,
    });
    const error = await readPageDocument([keyOf(bucket)], stuck.source, new Map(), {
      ...noWait,
      maxAttempts: 2,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedKeysError);
    expect((error as UnprocessedKeysError).keys).toEqual([
      `${ACCOUNT_PUBLIC_ACCESS_BLOCK} 123456789012`,
    ]);
  });
});
