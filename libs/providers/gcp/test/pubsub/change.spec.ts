import { assertValidResource } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { MAX_CHANGED_FIELDS, MAX_CHANGED_VALUE_CHARS } from '../../src/pubsub/index.js';
import { clone, nativeFixture, normalizeOne, scan } from '../helpers.js';
import { pubsubFixture, type Json } from './support.js';

const bucketMessage = () => clone(nativeFixture('feed-temporal-asset-bucket.json')) as Json;
const dataOf = (asset: unknown) => ((asset as Json)['resource'] as Json)['data'] as Json;

describe('Resource.change from a feed message', () => {
  it('lists the resource.data leaves that changed, without the bookkeeping that always does', () => {
    const resource = normalizeOne(bucketMessage());
    assertValidResource(resource);
    expect(resource.change).toEqual({
      changedAt: '2025-11-05T10:22:31.448105Z',
      changeType: 'update',
      fields: [
        {
          path: 'resource.data.iamConfiguration.publicAccessPrevention',
          before: 'enforced',
          after: 'inherited',
        },
      ],
    });
  });

  it('lists the IAM bindings whose members changed, for an IAM_POLICY feed message', () => {
    const { resources } = scan([
      { document: pubsubFixture('feed-iam-policy-bucket-allusers.json'), source: 'feed' },
    ]);
    expect(resources.map((r) => r.change)).toEqual([
      {
        changedAt: '2026-11-20T09:14:05.301772Z',
        changeType: 'update',
        fields: [
          {
            path: 'iamPolicy.bindings["roles/storage.objectViewer"]',
            before: null,
            after: ['allUsers'],
          },
        ],
      },
    ]);
  });

  it('names a conditional binding by its condition, and members removed as well as added', () => {
    const message = pubsubFixture('feed-iam-policy-bucket-allusers.json');
    const policy = (message['asset'] as Json)['iamPolicy'] as { bindings: Json[] };
    policy.bindings = [
      { role: 'roles/storage.legacyBucketOwner', members: ['projectOwner:dd-fixtures-prod'] },
      {
        role: 'roles/storage.objectViewer',
        members: ['group:auditors@example.com'],
        condition: {
          title: 'until 2027',
          expression: 'request.time < timestamp("2027-01-01T00:00:00Z")',
        },
      },
    ];
    const { resources } = scan([{ document: message, source: 'feed' }]);
    expect(resources[0]?.change?.fields).toEqual([
      {
        path: 'iamPolicy.bindings["roles/storage.legacyBucketOwner"]',
        before: ['projectEditor:dd-fixtures-prod', 'projectOwner:dd-fixtures-prod'],
        after: ['projectOwner:dd-fixtures-prod'],
      },
      {
        path: 'iamPolicy.bindings["roles/storage.legacyBucketReader"]',
        before: ['projectViewer:dd-fixtures-prod'],
        after: null,
      },
      {
        path: 'iamPolicy.bindings["roles/storage.objectViewer if request.time < timestamp(\\"2027-01-01T00:00:00Z\\")"]',
        before: null,
        after: ['group:auditors@example.com'],
      },
    ]);
  });

  it('says "create" without fields for the first known state (DOES_NOT_EXIST) and after a deletion', () => {
    for (const state of ['DOES_NOT_EXIST', 'DELETED']) {
      const message = bucketMessage();
      message['priorAssetState'] = state;
      delete message['priorAsset'];
      expect(normalizeOne(message).change).toEqual({
        changedAt: '2025-11-05T10:22:31.448105Z',
        changeType: 'create',
      });
    }
  });

  it('says only when for INVALID (Cloud Asset could not set the prior state)', () => {
    const message = bucketMessage();
    message['priorAssetState'] = 'INVALID';
    delete message['priorAsset'];
    expect(normalizeOne(message).change).toEqual({ changedAt: '2025-11-05T10:22:31.448105Z' });
  });

  it('keeps the judgement when the prior asset cannot be read: an update without fields', () => {
    const message = bucketMessage();
    message['priorAsset'] = { assetType: 'storage.googleapis.com/Bucket' };
    const resource = normalizeOne(message);
    expect(resource.change).toEqual({
      changedAt: '2025-11-05T10:22:31.448105Z',
      changeType: 'update',
    });
    expect(resource.kind).toBe('storage.bucket');
  });

  it('sets no change on records that are not feed messages (exports, listAssets)', () => {
    const resource = normalizeOne(
      nativeFixture('dd-storage-005-violating-versioning-disabled.json'),
    );
    expect(resource.change).toBeUndefined();
  });

  it(`keeps at most ${MAX_CHANGED_FIELDS} fields, sorted, and cuts long values`, () => {
    const message = bucketMessage();
    const labels: Json = { team: 'data-platform' };
    for (let i = 10; i < 40; i += 1) labels[`team.${i}`] = `value-${i}`;
    dataOf(message['asset'])['labels'] = labels;
    dataOf(message['asset'])['website'] = { mainPageSuffix: 'x'.repeat(500) };
    const fields = normalizeOne(message).change?.fields ?? [];
    expect(fields).toHaveLength(MAX_CHANGED_FIELDS);
    expect(fields[0]?.path).toBe('resource.data.iamConfiguration.publicAccessPrevention');
    // Label keys may hold dots: the path quotes them.
    expect(fields[1]).toEqual({
      path: 'resource.data.labels["team.10"]',
      before: null,
      after: 'value-10',
    });
    const paths = fields.map((f) => f.path);
    expect([...paths].sort()).toEqual(paths);
    const long = bucketMessage();
    // A part that appears whole is one leaf: its JSON, cut.
    dataOf(long['asset'])['website'] = { mainPageSuffix: 'x'.repeat(500) };
    const website = (normalizeOne(long).change?.fields ?? []).find(
      (f) => f.path === 'resource.data.website',
    );
    expect(website?.before).toBeNull();
    expect(website?.after).toBe(`{"mainPageSuffix":"${'x'.repeat(MAX_CHANGED_VALUE_CHARS - 20)}…`);
    expect((website?.after as string).length).toBe(MAX_CHANGED_VALUE_CHARS);
  });
});
