import { Buffer } from 'node:buffer';
import {
  NormalizeError,
  ResourceDeletedNotice,
  type ResourceOf,
} from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { gcpInventory } from '../src/index.js';
import {
  clone,
  flightBody,
  gcpCorpus,
  must,
  nativeFixture,
  normalizeOne,
  oneRecord,
  scan,
  scanContext,
  toNdjsonLines,
  toStruct,
} from './helpers.js';

type Bucket = ResourceOf<'storage.bucket'>;

describe('unwrap: the input shapes', () => {
  const shapes: { title: string; document: () => unknown; sources: string[] }[] = [
    {
      title: 'a JSON array of export records',
      document: () => gcpCorpus('cai-export-sql-public-ip.json'),
      sources: ['in[0]', 'in[1]', 'in[2]', 'in[3]'],
    },
    {
      title: 'one export record (one NDJSON line)',
      document: () => nativeFixture('dd-net-001-violating-ssh-open.json'),
      sources: ['in'],
    },
    {
      title: 'a listAssets answer {readTime, assets, nextPageToken}',
      document: () => nativeFixture('list-assets-page.json'),
      sources: ['in.assets[0]', 'in.assets[1]'],
    },
    {
      title: 'an empty listAssets page (proto3 JSON leaves out the empty assets list)',
      document: () => ({ readTime: '2025-11-07T06:00:00.352417Z' }),
      sources: [],
    },
    {
      title: 'a batchGetAssetsHistory answer {assets: [TemporalAsset]}',
      document: () => flightBody('flight-cloudasset-batch-get-assets-history.json'),
      sources: ['in.assets[0]'],
    },
    {
      title: 'a feed message (TemporalAsset)',
      document: () => nativeFixture('feed-temporal-asset-bucket.json'),
      sources: ['in'],
    },
    {
      title: 'a Pub/Sub push envelope around a feed message',
      document: () => nativeFixture('pubsub-push-feed-bucket.json'),
      sources: ['in'],
    },
    {
      title: "the feed's plain-text welcome message (no record)",
      document: () => nativeFixture('pubsub-push-feed-welcome.json'),
      sources: [],
    },
    {
      title: '`gcloud asset list --format=json` (an array of camelCase assets)',
      document: () => nativeFixture('gcloud-asset-list.json'),
      sources: ['in[0]', 'in[1]'],
    },
  ];

  it.each(shapes)('$title', ({ document, sources }) => {
    const records = gcpInventory.unwrap(document(), 'in');
    expect(records.map((r) => r.source)).toEqual(sources);
    expect(records.every((r) => r.provider === 'gcp')).toBe(true);
  });

  it('hands over the decoded TemporalAsset of a Pub/Sub push', () => {
    const record = oneRecord(nativeFixture('pubsub-push-feed-bucket.json'), 'push');
    expect(record.value).toEqual(nativeFixture('feed-temporal-asset-bucket.json'));
  });

  it.each([
    ['a string', 'projects/x'],
    ['a number', 42],
    ['null', null],
    ['an object of another kind', { value: [] }],
    ['a page whose assets is not a list', { assets: {}, readTime: '2025-01-01T00:00:00Z' }],
    [
      'a push whose data is not base64',
      { message: { data: '%%%', messageId: '1' }, subscription: 's' },
    ],
    [
      'a push whose data is truncated JSON',
      {
        message: {
          data: Buffer.from('{"asset": {"name": "//sto').toString('base64'),
          messageId: '1',
        },
        subscription: 's',
      },
    ],
  ])('rejects %s with NormalizeError naming the source', (_, document) => {
    expect(() => gcpInventory.unwrap(document, 'bad.json')).toThrow(NormalizeError);
    expect(() => gcpInventory.unwrap(document, 'bad.json')).toThrow(/^bad\.json: /);
  });
});

describe('one resource whatever the spelling or encoding', () => {
  const record = () =>
    nativeFixture('dd-storage-002-violating-allusers-object-viewer.json') as Record<
      string,
      unknown
    >[];

  it('reads NDJSON lines and the same records as an array alike', () => {
    const records = gcpCorpus('cai-export-firewalls-sources.json') as unknown[];
    const fromArray = scan([{ document: records, source: 'fw.json' }]).resources;
    const fromLines = scan(
      toNdjsonLines(records).map((line, i) => ({
        document: JSON.parse(line),
        source: `fw.ndjson:${i + 1}`,
      })),
    ).resources;
    expect(fromLines).toEqual(fromArray);
    expect(fromLines).toHaveLength(12);
  });

  it('gives the same resource for snake_case export records and camelCase API assets', () => {
    const snake = normalizeOne(record());
    const camel = normalizeOne(
      record().map(({ asset_type, iam_policy, update_time, resource, ...rest }) => ({
        ...rest,
        assetType: asset_type,
        ...(iam_policy === undefined ? {} : { iamPolicy: iam_policy }),
        updateTime: update_time,
        ...(resource === undefined
          ? {}
          : {
              resource: Object.fromEntries(
                Object.entries(resource as Record<string, unknown>).map(([k, v]) => [
                  k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
                  v,
                ]),
              ),
            }),
      })),
    );
    expect(camel).toEqual(snake);
    // native speaks one spelling: the API's camelCase names.
    expect(snake.native).toMatchObject({
      assetType: 'storage.googleapis.com/Bucket',
      updateTime: '2025-11-03T14:27:51.904Z',
      resource: {
        discoveryDocumentUri: 'https://www.googleapis.com/discovery/v1/apis/storage/v1/rest',
      },
      iamPolicy: { etag: 'CAU=' },
    });
  });

  it('decodes resource.data given as a protobuf Struct (Node client)', () => {
    const plain = must(
      clone(gcpCorpus('cai-export-buckets-policy-only.json') as Record<string, unknown>[])[0],
    );
    const struct = clone(plain) as { resource: Record<string, unknown> };
    struct.resource['data'] = toStruct(struct.resource['data'] as Record<string, unknown>);
    expect(JSON.stringify(struct)).toContain('"stringValue":"STANDARD"');
    expect(normalizeOne(struct)).toEqual(normalizeOne(plain));
  });

  it('decodes a Struct-encoded firewall with nested lists and numbers', () => {
    const plain = nativeFixture('dd-net-001-violating-ssh-open.json') as {
      resource: Record<string, unknown>;
    };
    const struct = clone(plain);
    struct.resource['data'] = toStruct(struct.resource['data'] as Record<string, unknown>);
    expect(normalizeOne(struct)).toEqual(normalizeOne(plain));
  });

  it('rejects a malformed Struct with NormalizeError', () => {
    const struct = clone(nativeFixture('dd-net-001-violating-ssh-open.json')) as {
      resource: Record<string, unknown>;
    };
    struct.resource['data'] = { fields: { name: { stringValue: 7 } } };
    const native = oneRecord(struct, 'struct.json');
    expect(() => gcpInventory.normalize(native, scanContext())).toThrow(
      /resource\.data\.name is not a string/,
    );
  });

  it('reads Node client Timestamps ({seconds, nanos}) as RFC 3339 UTC', () => {
    const asset = clone(nativeFixture('dd-kms-001-violating-no-rotation.json')) as Record<
      string,
      unknown
    >;
    asset['update_time'] = { seconds: '1762873408', nanos: 102000000 };
    expect(normalizeOne(asset).observedAt).toBe('2025-11-11T15:03:28.102Z');
  });
});

describe('feed messages', () => {
  it('normalizes the current asset of a feed message, not the prior one', () => {
    const resource = normalizeOne(nativeFixture('feed-temporal-asset-bucket.json')) as Bucket;
    assertValidResource(resource);
    expect(resource.properties.publicAccessPrevention).toBe('inherited');
    expect(resource.observedAt).toBe('2025-11-05T10:22:31.448105Z');
  });

  it('gives the same resource from the Pub/Sub push as from the message itself', () => {
    expect(normalizeOne(nativeFixture('pubsub-push-feed-bucket.json'))).toEqual(
      normalizeOne(nativeFixture('feed-temporal-asset-bucket.json')),
    );
  });

  it('turns deleted: true into a ResourceDeletedNotice naming the asset', () => {
    const record = oneRecord(nativeFixture('feed-temporal-asset-deleted.json'), 'feed');
    const context = scanContext();
    expect(gcpInventory.collect(record, context)).toBe(false);
    let thrown: unknown;
    try {
      gcpInventory.normalize(record, context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResourceDeletedNotice);
    expect((thrown as ResourceDeletedNotice).resourceId).toBe(
      '//compute.googleapis.com/projects/dd-fixtures-prod/global/firewalls/allow-ssh-anywhere',
    );
    expect((thrown as ResourceDeletedNotice).source).toBe('feed');
  });

  it('uses window.startTime when the asset has no updateTime', () => {
    const message = clone(nativeFixture('feed-temporal-asset-bucket.json')) as {
      asset: Record<string, unknown>;
      window: { startTime: string };
    };
    delete message.asset['updateTime'];
    message.window.startTime = '2025-11-05T11:22:31.448105+01:00';
    expect(normalizeOne(message).observedAt).toBe('2025-11-05T10:22:31.448105Z');
  });
});

describe('records that cannot be read', () => {
  it.each([
    ['not an object', [7], /record is not a JSON object/],
    [
      'no asset name',
      [{ asset_type: 'storage.googleapis.com/Bucket', resource: {} }],
      /no full resource name/,
    ],
    [
      'an ARM id as name',
      [{ name: '/subscriptions/x', asset_type: 'storage.googleapis.com/Bucket' }],
      /no full resource name/,
    ],
    [
      'no asset type',
      [{ name: '//storage.googleapis.com/b', resource: { data: {} } }],
      /no asset type/,
    ],
    [
      'resource.data a string',
      [
        {
          name: '//storage.googleapis.com/b',
          asset_type: 'storage.googleapis.com/Bucket',
          resource: { data: '{}' },
        },
      ],
      /resource\.data is not an object/,
    ],
    [
      'iam_policy a list',
      [
        {
          name: '//storage.googleapis.com/b',
          asset_type: 'storage.googleapis.com/Bucket',
          iam_policy: [],
        },
      ],
      /iam_policy is not an object/,
    ],
    [
      'a TemporalAsset without asset',
      [{ window: { startTime: '2025-01-01T00:00:00Z' } }],
      /TemporalAsset has no asset/,
    ],
  ])('%s → NormalizeError naming the record', (_, document, reason) => {
    const { resources, errors } = scan([{ document, source: 'x.json' }]);
    expect(resources).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(must(errors[0]).source).toBe('x.json[0]');
    expect(must(errors[0]).reason).toMatch(reason);
  });
});
