import type { ResourceOf } from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { gcpInventory, SUPPORTED_TYPES } from '../src/index.js';
import {
  byId,
  clone,
  gcpCorpus,
  must,
  nativeFixture,
  normalizeOne,
  oneRecord,
  scan,
  scanContext,
} from './helpers.js';

type Bucket = ResourceOf<'storage.bucket'>;

const pair = () =>
  clone(nativeFixture('dd-storage-002-violating-allusers-object-viewer.json')) as [
    Record<string, unknown>,
    Record<string, unknown>,
  ];

describe('RESOURCE + IAM_POLICY merging', () => {
  it('collect keeps an IAM_POLICY-only record as context and lets RESOURCE records through', () => {
    const [resource, iam] = pair();
    const context = scanContext();
    const resourceRecord = oneRecord(resource, 'r');
    const iamRecord = oneRecord(iam, 'i');
    expect(gcpInventory.collect(iamRecord, context)).toBe(true);
    expect(gcpInventory.collect(resourceRecord, context)).toBe(false);
    const merged = gcpInventory.normalize(resourceRecord, context) as Bucket;
    expect(merged.properties.iamBindings?.some((b) => b.members.includes('allUsers'))).toBe(true);
    // The IAM record was used: nothing is left over.
    expect(gcpInventory.leftovers(context)).toEqual([]);
  });

  it('yields the IAM-only resource from leftovers when its RESOURCE never came', () => {
    const [, iam] = pair();
    const context = scanContext();
    const record = oneRecord(iam, 'i');
    expect(gcpInventory.collect(record, context)).toBe(true);
    const leftovers = gcpInventory.leftovers(context);
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatchObject({
      kind: 'storage.bucket',
      id: '//storage.googleapis.com/acme-public-assets',
    });
    // Asked twice, the scan does not get it twice.
    expect(gcpInventory.leftovers(context)).toEqual([]);
  });

  it('normalizes an IAM-only record given directly (event mode) without a duplicate leftover', () => {
    const [, iam] = pair();
    const context = scanContext();
    const record = oneRecord(iam, 'i');
    gcpInventory.collect(record, context);
    const resource = gcpInventory.normalize(record, context) as Bucket;
    expect(resource.properties.iamBindings).not.toBeNull();
    expect(gcpInventory.leftovers(context)).toEqual([]);
  });

  it('treats a record carrying both resource and iam_policy as one record', () => {
    const [resource, iam] = pair();
    const combined = { ...resource, iam_policy: iam['iam_policy'] };
    const context = scanContext();
    const record = oneRecord(combined, 'c');
    expect(gcpInventory.collect(record, context)).toBe(false);
    const bucket = gcpInventory.normalize(record, context) as Bucket;
    expect(bucket.properties.iamBindings).toHaveLength(3);
    expect(gcpInventory.leftovers(context)).toEqual([]);
  });

  it('keeps merged and unmerged records apart by asset name', () => {
    const [resource, iam] = pair();
    const otherIam = clone(iam);
    otherIam['name'] = '//storage.googleapis.com/someone-elses-bucket';
    const { resources } = scan([{ document: [otherIam, resource, iam], source: 'mix.json' }]);
    const ids = byId(resources);
    expect([...ids.keys()].sort()).toEqual([
      '//storage.googleapis.com/acme-public-assets',
      '//storage.googleapis.com/someone-elses-bucket',
    ]);
    expect(
      (ids.get('//storage.googleapis.com/acme-public-assets') as Bucket).properties.versioning,
    ).toEqual({
      enabled: true,
    });
    expect(
      (ids.get('//storage.googleapis.com/someone-elses-bucket') as Bucket).properties.versioning,
    ).toEqual({
      enabled: null,
    });
  });

  it('leaves a deleted asset no IAM leftover', () => {
    const deleted = clone(nativeFixture('feed-temporal-asset-deleted.json')) as {
      asset: { name: string };
    };
    const iam = {
      name: deleted.asset.name,
      assetType: 'compute.googleapis.com/Firewall',
      iamPolicy: { bindings: [] },
    };
    const { resources, errors } = scan([
      { document: iam, source: 'iam' },
      { document: deleted, source: 'feed' },
    ]);
    expect(resources).toEqual([]);
    expect(errors).toEqual([
      {
        source: 'feed',
        reason: `resource deleted: ${deleted.asset.name}`,
        name: 'ResourceDeletedNotice',
      },
    ]);
  });
});

describe('kind other', () => {
  it('keeps IAM-only records of unsupported types, bindings in native', () => {
    const { resources } = scan([
      { document: gcpCorpus('cai-export-iam-policies-mixed.json'), source: 'm.json' },
    ]);
    const dataset = must(
      byId(resources).get('//bigquery.googleapis.com/projects/12345/datasets/testdataset1'),
    );
    assertValidResource(dataset);
    expect(dataset).toMatchObject({
      kind: 'other',
      nativeType: 'bigquery.googleapis.com/Dataset',
      name: 'testdataset1',
      account: '12345',
      properties: {},
    });
    expect(dataset.native).toEqual({
      name: '//bigquery.googleapis.com/projects/12345/datasets/testdataset1',
      assetType: 'bigquery.googleapis.com/Dataset',
      iamPolicy: {
        version: 1,
        etag: 'CdWC1qPLfdw=',
        bindings: [
          { role: 'roles/bigquery.dataViewer', members: ['user:user@gmail.com'] },
          { role: 'roles/bigquery.dataOwner', members: ['user:admin@gmail.com'] },
        ],
      },
    });
  });

  it('maps RESOURCE records of unsupported types to other, with their data', () => {
    const resource = normalizeOne({
      name: '//pubsub.googleapis.com/projects/dd-fixtures-prod/topics/asset-feed',
      asset_type: 'pubsub.googleapis.com/Topic',
      resource: {
        version: 'v1',
        discovery_document_uri: 'https://pubsub.googleapis.com/$discovery/rest',
        discovery_name: 'Topic',
        parent: '//cloudresourcemanager.googleapis.com/projects/847203951166',
        data: { name: 'projects/dd-fixtures-prod/topics/asset-feed', labels: { team: 'sec' } },
        location: 'global',
      },
      ancestors: ['projects/847203951166', 'organizations/671234098812'],
      update_time: '2025-03-01T12:00:00Z',
    });
    assertValidResource(resource);
    expect(resource).toMatchObject({
      kind: 'other',
      name: 'asset-feed',
      tags: { team: 'sec' },
      region: 'global',
    });
  });

  it('turns an IAM-only firewall (no rules to read) into other instead of failing leftovers', () => {
    const { resources, errors } = scan([
      {
        document: {
          name: '//compute.googleapis.com/projects/p/global/firewalls/f',
          asset_type: 'compute.googleapis.com/Firewall',
          iam_policy: { bindings: [] },
        },
        source: 'f.json',
      },
    ]);
    expect(errors).toEqual([]);
    expect(resources.map((r) => r.kind)).toEqual(['other']);
  });

  it('maps every supported type to a kind of the model', () => {
    expect(SUPPORTED_TYPES).toEqual({
      'storage.googleapis.com/Bucket': 'storage.bucket',
      'compute.googleapis.com/Firewall': 'network.firewall',
      'compute.googleapis.com/Instance': 'compute.instance',
      'sqladmin.googleapis.com/Instance': 'database.instance',
      'cloudkms.googleapis.com/CryptoKey': 'kms.key',
      'cloudresourcemanager.googleapis.com/Project': 'iam.binding',
      'iam.googleapis.com/ServiceAccount': 'iam.binding',
      'cloudfunctions.googleapis.com/CloudFunction': 'serverless.function',
      'cloudfunctions.googleapis.com/Function': 'serverless.function',
    });
  });
});
