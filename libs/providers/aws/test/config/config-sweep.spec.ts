import { PutConfigurationAggregatorCommand } from '@aws-sdk/client-config-service';
import { CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import type { SweepPage } from '@drift-detective/pipeline';
import type { PropertiesOf, Resource } from '@drift-detective/resource-model';
import { startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSweepReader, defaultSweepTypes } from '../../src/config/config-sweep.js';
import { ACCOUNT_PUBLIC_ACCESS_BLOCK, SUPPORTED_TYPES } from '../../src/index.js';
import { logCalls, normalizeDocument, readAll, resourcesOf } from './helpers.js';
import {
  MOTO_ACCOUNT,
  motoConfigClient,
  motoIamClient,
  motoS3Client,
  putAccountPublicAccessBlock,
  type PublicAccessBlockSettings,
} from './moto.js';

const TYPES = ['AWS::S3::Bucket', 'AWS::IAM::Role', 'AWS::IAM::Policy'];
const BUCKETS = ['bucket-a-blocked', 'bucket-b-open', 'bucket-c-plain'];
const ROLES = ['admin-role', 'app-role'];
const POLICIES = ['admin-policy', 'scoped-policy'];

const ALL_BLOCKED = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const NONE_BLOCKED = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};
/** An account setting unlike either bucket's, so that it cannot be mistaken for one. */
const ACCOUNT_SETTING: PublicAccessBlockSettings = {
  BlockPublicAcls: true,
  IgnorePublicAcls: false,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: false,
};

const document = (statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const trust = document([
  { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
]);
const everything = document([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
const readOnly = document([
  { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-c-plain/*' },
]);

async function createResources(endpoint: string): Promise<void> {
  const s3 = motoS3Client(endpoint);
  for (const bucket of BUCKETS) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: 'bucket-a-blocked',
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  const iam = motoIamClient(endpoint);
  for (const role of ROLES) {
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trust }));
  }
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'admin-role',
      PolicyName: 'all',
      PolicyDocument: everything,
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'app-role',
      PolicyName: 'read',
      PolicyDocument: readOnly,
    }),
  );
  await iam.send(
    new CreatePolicyCommand({ PolicyName: 'admin-policy', PolicyDocument: everything }),
  );
  await iam.send(
    new CreatePolicyCommand({ PolicyName: 'scoped-policy', PolicyDocument: readOnly }),
  );
}

const EXPECTED_IDS = [
  ...BUCKETS.map((bucket) => `arn:aws:s3:::${bucket}`),
  ...ROLES.map((role) => `arn:aws:iam::${MOTO_ACCOUNT}:role/${role}`),
  ...POLICIES.map((policy) => `arn:aws:iam::${MOTO_ACCOUNT}:policy/${policy}`),
].sort();

const idsOf = (resources: readonly Resource[]) => resources.map((r) => r.id).sort();
const byId = (resources: readonly Resource[], id: string) => {
  const found = resources.find((r) => r.id === id);
  if (!found) throw new Error(`no resource ${id}`);
  return found;
};
const bucketProperties = (resources: readonly Resource[], bucket: string) =>
  byId(resources, `arn:aws:s3:::${bucket}`).properties as PropertiesOf<'storage.bucket'>;
/** The resource types of each document's items, in order. */
const itemTypes = (page: SweepPage) =>
  page.documents.map((d) =>
    (d as { baseConfigurationItems: { resourceType: string }[] }).baseConfigurationItems.map(
      (item) => item.resourceType,
    ),
  );

describe('configSweepReader against moto', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(async () => {
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    await createResources(moto.endpoint);
  });

  it('reads every resource, page by page, into documents the inventory normalizes', async () => {
    const client = motoConfigClient(moto.endpoint);
    const pages = await readAll(
      configSweepReader({ client, resourceTypes: TYPES, pageSize: 2 })(null),
    );

    // Three buckets in pages of two; two roles; two policies: one document per page.
    expect(pages.map((page) => page.documents.length)).toEqual([1, 1, 1, 1]);
    expect(pages.map(itemTypes)).toEqual([
      [['AWS::S3::Bucket', 'AWS::S3::Bucket']],
      [['AWS::S3::Bucket']],
      [['AWS::IAM::Role', 'AWS::IAM::Role']],
      [['AWS::IAM::Policy', 'AWS::IAM::Policy']],
    ]);
    // Plain JSON, as the wire carries it: no Date survives.
    for (const page of pages) {
      expect(JSON.parse(JSON.stringify(page.documents))).toEqual(page.documents);
    }

    const resources = resourcesOf(pages);
    expect(idsOf(resources)).toEqual(EXPECTED_IDS);
    for (const resource of resources) {
      expect(resource.kind).toBe(SUPPORTED_TYPES[resource.nativeType]);
      expect(resource.account).toBe(MOTO_ACCOUNT);
      expect(resource.observedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(bucketProperties(resources, 'bucket-a-blocked').publicAccessBlock).toEqual(ALL_BLOCKED);
    expect(bucketProperties(resources, 'bucket-b-open').publicAccessBlock).toEqual(NONE_BLOCKED);
    // No account setting in moto: none recorded, none invented.
    for (const bucket of BUCKETS) {
      expect(bucketProperties(resources, bucket).accountPublicAccessBlock).toBeNull();
    }

    const admin = byId(resources, `arn:aws:iam::${MOTO_ACCOUNT}:role/admin-role`);
    const statements = (admin.properties as PropertiesOf<'iam.policy'>).statements;
    expect(statements).toContainEqual(
      expect.objectContaining({ effect: 'Allow', actions: ['*'], resources: ['*'] }),
    );
    const app = byId(resources, `arn:aws:iam::${MOTO_ACCOUNT}:role/app-role`);
    expect((app.properties as PropertiesOf<'iam.policy'>).statements).not.toContainEqual(
      expect.objectContaining({ actions: ['*'] }),
    );
  });

  it("puts the account's Block Public Access first in every page of buckets, looked up once", async () => {
    await putAccountPublicAccessBlock(moto.endpoint, ACCOUNT_SETTING);
    const client = motoConfigClient(moto.endpoint);
    const log = logCalls(client);
    const pages = await readAll(
      configSweepReader({ client, resourceTypes: TYPES, pageSize: 2 })(null),
    );

    expect(pages.slice(0, 2).map(itemTypes)).toEqual([
      [[ACCOUNT_PUBLIC_ACCESS_BLOCK, 'AWS::S3::Bucket', 'AWS::S3::Bucket']],
      [[ACCOUNT_PUBLIC_ACCESS_BLOCK, 'AWS::S3::Bucket']],
    ]);
    // Pages without buckets carry no account block.
    expect(pages.slice(2).flatMap(itemTypes).flat()).not.toContain(ACCOUNT_PUBLIC_ACCESS_BLOCK);

    const resources = resourcesOf(pages);
    expect(idsOf(resources)).toEqual(EXPECTED_IDS);
    for (const bucket of BUCKETS) {
      expect(bucketProperties(resources, bucket).accountPublicAccessBlock).toEqual({
        blockPublicAcls: true,
        ignorePublicAcls: false,
        blockPublicPolicy: true,
        restrictPublicBuckets: false,
      });
    }
    // The bucket's own setting stays its own.
    expect(bucketProperties(resources, 'bucket-b-open').publicAccessBlock).toEqual(NONE_BLOCKED);

    const blockListings = log.count(
      'ListDiscoveredResourcesCommand',
      (input) => input['resourceType'] === ACCOUNT_PUBLIC_ACCESS_BLOCK,
    );
    expect(blockListings).toBe(1);
    const listings = log.calls.filter((c) => c.command === 'ListDiscoveredResourcesCommand');
    expect(listings.every((c) => c.input['includeDeletedResources'] === false)).toBe(true);
    expect(
      listings
        .filter((c) => c.input['resourceType'] !== ACCOUNT_PUBLIC_ACCESS_BLOCK)
        .every((c) => c.input['limit'] === 2),
    ).toBe(true);
  });

  it('each document judges its buckets alone: a document without its account block would not know it', async () => {
    await putAccountPublicAccessBlock(moto.endpoint, ACCOUNT_SETTING);
    const client = motoConfigClient(moto.endpoint);
    const [first] = await readAll(
      configSweepReader({ client, resourceTypes: TYPES, pageSize: 2 })(null),
    );
    const doc = first?.documents[0] as { baseConfigurationItems: Record<string, unknown>[] };
    const withoutBlock = { baseConfigurationItems: doc.baseConfigurationItems.slice(1) };
    const [bucket] = normalizeDocument(withoutBlock, 'stripped');
    expect(
      (bucket?.properties as PropertiesOf<'storage.bucket'>).accountPublicAccessBlock,
    ).toBeNull();
  });

  it('resumes after a saved cursor with the remaining pages only', async () => {
    const client = motoConfigClient(moto.endpoint);
    const open = configSweepReader({ client, resourceTypes: TYPES, pageSize: 2 });
    const whole = await readAll(open(null));
    const idsOfPages = (pages: readonly SweepPage[]) => pages.map((p) => idsOf(resourcesOf([p])));

    for (let saved = 0; saved < whole.length; saved++) {
      const resumed = await readAll(open(whole[saved]?.cursor ?? null));
      expect(idsOfPages(resumed)).toEqual(idsOfPages(whole.slice(saved + 1)));
      expect(resumed.map((p) => p.cursor)).toEqual(whole.slice(saved + 1).map((p) => p.cursor));
    }
    // Mid-type: after the first bucket page, the last bucket then the IAM types.
    const afterFirst = await readAll(open(whole[0]?.cursor ?? null));
    expect(idsOf(resourcesOf(afterFirst))).toEqual(
      EXPECTED_IDS.filter(
        (id) => !['arn:aws:s3:::bucket-a-blocked', 'arn:aws:s3:::bucket-b-open'].includes(id),
      ),
    );
  });

  it('sets a cursor of another type list aside with a warning and sweeps from the first type', async () => {
    const client = motoConfigClient(moto.endpoint);
    const whole = await readAll(
      configSweepReader({ client, resourceTypes: TYPES, pageSize: 2 })(null),
    );
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const logger = {
      warn: (fields: Record<string, unknown>, message: string) =>
        void warnings.push({ fields, message }),
    };
    // An upgrade adds a type before the others: the saved cursors are of the old list.
    const upgraded = ['AWS::IAM::User', ...TYPES];
    const open = configSweepReader({ client, resourceTypes: upgraded, pageSize: 2, logger });
    const fresh = await readAll(open(null));
    for (const cursor of [whole[0]?.cursor, whole[2]?.cursor]) {
      warnings.length = 0;
      const resumed = await readAll(open(cursor ?? null));
      // Every page again, from the first page of the first type.
      expect(resumed.map((p) => p.cursor)).toEqual(fresh.map((p) => p.cursor));
      expect(idsOf(resourcesOf(resumed))).toEqual(EXPECTED_IDS);
      expect(warnings).toEqual([
        {
          fields: { cursor, types: upgraded },
          message:
            'saved sweep cursor is of another resource type list: sweeping from the first type',
        },
      ]);
    }

    // A type added after the cursor's leaves it meaningful: resumed, no warning.
    warnings.length = 0;
    const appended = configSweepReader({
      client,
      resourceTypes: [...TYPES, 'AWS::IAM::User'],
      pageSize: 2,
      logger,
    });
    const resumed = await readAll(appended(whole[0]?.cursor ?? null));
    expect(idsOf(resourcesOf(resumed))).not.toContain('arn:aws:s3:::bucket-a-blocked');
    expect(warnings).toEqual([]);

    // A shorter list (a type dropped from resourceTypes), without a logger.
    const fewer = configSweepReader({ client, resourceTypes: ['AWS::S3::Bucket'], pageSize: 2 });
    const restarted = await readAll(fewer(whole[2]?.cursor ?? null));
    expect(idsOf(resourcesOf(restarted))).toEqual(BUCKETS.map((b) => `arn:aws:s3:::${b}`));
  });

  it('refuses a saved cursor that is not one, before calling anything', async () => {
    const client = motoConfigClient(moto.endpoint);
    const log = logCalls(client);
    const open = configSweepReader({ client, resourceTypes: TYPES, pageSize: 2 });
    await expect(readAll(open('{"v":9}'))).rejects.toThrow(/unknown version 9/);
    await expect(readAll(open('not a cursor'))).rejects.toThrow(/not an AWS Config sweep cursor/);
    expect(log.calls).toEqual([]);
  });

  it('sweeps every supported type by default: one (maybe empty) page each for the types moto lacks', async () => {
    const client = motoConfigClient(moto.endpoint);
    const pages = await readAll(configSweepReader({ client })(null));
    expect(pages).toHaveLength(defaultSweepTypes().length);
    expect(idsOf(resourcesOf(pages))).toEqual(EXPECTED_IDS);
    const types = defaultSweepTypes();
    pages.forEach((page, index) => {
      const modeled = TYPES.includes(types[index] as string);
      expect(page.documents.length).toBe(modeled ? 1 : 0);
    });
  });

  it('refuses a page size the API does not take', () => {
    const client = motoConfigClient(moto.endpoint);
    for (const pageSize of [0, 101, 2.5]) {
      expect(() => configSweepReader({ client, pageSize })).toThrow(RangeError);
    }
  });

  describe('through a configuration aggregator', () => {
    beforeEach(async () => {
      await motoConfigClient(moto.endpoint).send(
        new PutConfigurationAggregatorCommand({
          ConfigurationAggregatorName: 'org-view',
          AccountAggregationSources: [
            { AccountIds: [MOTO_ACCOUNT], AwsRegions: ['us-east-1', 'us-west-2'] },
          ],
        }),
      );
    });

    it('reads the aggregated resources with the account block of their account and region', async () => {
      await putAccountPublicAccessBlock(moto.endpoint, ACCOUNT_SETTING);
      const client = motoConfigClient(moto.endpoint);
      const log = logCalls(client);
      const pages = await readAll(
        configSweepReader({
          client,
          resourceTypes: TYPES,
          pageSize: 2,
          aggregator: { name: 'org-view' },
        })(null),
      );
      const resources = resourcesOf(pages);
      // IAM items come once per source region (moto/iam/config.py): the same resource, seen twice.
      expect([...new Set(idsOf(resources))]).toEqual(EXPECTED_IDS);
      expect(resources.filter((r) => r.nativeType === 'AWS::S3::Bucket')).toHaveLength(3);
      for (const bucket of BUCKETS) {
        expect(bucketProperties(resources, bucket).accountPublicAccessBlock).toEqual({
          blockPublicAcls: true,
          ignorePublicAcls: false,
          blockPublicPolicy: true,
          restrictPublicBuckets: false,
        });
      }
      expect(itemTypes(pages[0] as SweepPage)[0]?.[0]).toBe(ACCOUNT_PUBLIC_ACCESS_BLOCK);
      expect(log.count('ListDiscoveredResourcesCommand')).toBe(0);
      expect(
        log.count(
          'ListAggregateDiscoveredResourcesCommand',
          (input) => input['ResourceType'] === ACCOUNT_PUBLIC_ACCESS_BLOCK,
        ),
      ).toBe(1);
      // The cursor resumes an aggregator sweep too.
      const open = configSweepReader({
        client,
        resourceTypes: TYPES,
        pageSize: 2,
        aggregator: { name: 'org-view' },
      });
      const resumed = await readAll(open(pages[1]?.cursor ?? null));
      expect(resumed.map((p) => p.cursor)).toEqual(pages.slice(2).map((p) => p.cursor));
    });

    it('lets the error of an unknown aggregator through', async () => {
      const client = motoConfigClient(moto.endpoint);
      const reader = configSweepReader({
        client,
        resourceTypes: TYPES,
        aggregator: { name: 'nope' },
      });
      await expect(readAll(reader(null))).rejects.toMatchObject({
        name: 'NoSuchConfigurationAggregatorException',
      });
    });
  });
});
