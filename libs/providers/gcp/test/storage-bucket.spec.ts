import { assertValidResource } from '@drift-detective/testing';
import type { ResourceOf } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import {
  asAsset,
  byId,
  clone,
  flightBody,
  gcpCorpus,
  must,
  nativeFixture,
  normalizeOne,
  SCAN_STARTED,
  scan,
  type Expected,
} from './helpers.js';

type Bucket = ResourceOf<'storage.bucket'>;

const policyOnly = gcpCorpus('cai-export-buckets-policy-only.json') as Record<string, unknown>[];
const listed = flightBody('flight-storage-buckets-list.json')['items'] as Record<string, unknown>[];

const AWS_AND_AZURE_ONLY = {
  publicAccessBlock: null,
  accountPublicAccessBlock: null,
  allowBlobPublicAccess: null,
  containerPublicAccess: null,
  aclGrants: null,
  policy: null,
  policyAbsent: null,
  transport: { httpsOnly: null, minimumTlsVersion: null },
};

const cases: {
  title: string;
  document: () => unknown;
  expected: Expected<Bucket>;
}[] = [
  {
    title: 'CAI export: CMEK default key, versioning {} (proto default), projectNumber as a number',
    document: () => policyOnly[0],
    expected: {
      id: '//storage.googleapis.com/my-storage-bucket-with-bucketpolicyonly',
      name: 'my-storage-bucket-with-bucketpolicyonly',
      nativeType: 'storage.googleapis.com/Bucket',
      account: '68478495408',
      region: null,
      tags: {},
      observedAt: SCAN_STARTED,
      properties: {
        ...AWS_AND_AZURE_ONLY,
        publicAccessPrevention: null,
        publicAccessPreventionPolicy: null,
        iamBindings: null,
        encryption: {
          atRest: true,
          algorithm: 'CMEK',
          keyId: 'projects/andresolarte-gke-ent/locations/us/keyRings/us-ring/cryptoKeys/key1',
        },
        versioning: { enabled: false },
      },
    },
  },
  {
    title: 'CAI export: encryption {} means Google-managed keys',
    document: () => policyOnly[3],
    expected: {
      name: 'my-storage-bucket-with-no-bucketpolicyonly-data',
      properties: {
        encryption: { atRest: true, algorithm: 'GOOGLE_MANAGED', keyId: null },
        versioning: { enabled: false },
      },
    },
  },
  {
    title: 'CAI export (hand-edited): the name comes from the asset name, not resource.data.name',
    document: () => policyOnly[2],
    expected: {
      id: '//storage.googleapis.com/my-storage-bucket-with-null-bucketpolicyonly',
      name: 'my-storage-bucket-with-null-bucketpolicyonly',
      properties: {},
    },
  },
  {
    title:
      'buckets.get 2019: no publicAccessPrevention (unknown), no versioning key (off), projectNumber string',
    document: () =>
      asAsset(
        flightBody('flight-storage-bucket-get.json'),
        'storage.googleapis.com/Bucket',
        '//storage.googleapis.com/staging.cloud-custodian.appspot.com',
      ),
    expected: {
      name: 'staging.cloud-custodian.appspot.com',
      account: '518122731295',
      properties: {
        publicAccessPrevention: null,
        versioning: { enabled: false },
        encryption: { atRest: true, algorithm: 'GOOGLE_MANAGED', keyId: null },
      },
    },
  },
  {
    title: 'buckets.list projection=full: publicAccessPrevention "inherited", labels become tags',
    document: () =>
      asAsset(listed[1], 'storage.googleapis.com/Bucket', '//storage.googleapis.com/c7n-bucket', {
        location: 'us',
      }),
    expected: {
      name: 'c7n-bucket',
      account: '000000000000',
      region: 'us',
      tags: { env: 'default', 'goog-terraform-provisioned': 'true' },
      properties: { publicAccessPrevention: 'inherited', versioning: { enabled: false } },
    },
  },
  {
    title:
      'export record with update_time: observedAt is the record time, versioning {enabled: false}',
    document: () => nativeFixture('dd-storage-005-violating-versioning-disabled.json'),
    expected: {
      account: '847203951166',
      region: 'us',
      observedAt: '2025-11-03T14:27:51.904Z',
      properties: { publicAccessPrevention: 'enforced', versioning: { enabled: false } },
    },
  },
  {
    title: 'versioning {enabled: true}',
    document: () => nativeFixture('dd-storage-005-compliant-versioning-enabled.json'),
    expected: { properties: { versioning: { enabled: true } } },
  },
];

describe('storage.googleapis.com/Bucket → storage.bucket', () => {
  it.each(cases)('$title', ({ document, expected }) => {
    const resource = normalizeOne(document()) as Bucket;
    assertValidResource(resource);
    expect(resource.kind).toBe('storage.bucket');
    const { properties, ...top } = expected;
    expect(resource).toMatchObject(top);
    expect(resource.properties).toMatchObject(properties ?? {});
  });

  it('merges the IAM_POLICY record of the same bucket into its RESOURCE record', () => {
    const resource = normalizeOne(
      nativeFixture('dd-storage-002-violating-allusers-object-viewer.json'),
    ) as Bucket;
    expect(resource.properties.iamBindings).toEqual([
      {
        role: 'roles/storage.legacyBucketOwner',
        members: ['projectEditor:dd-fixtures-prod', 'projectOwner:dd-fixtures-prod'],
        condition: null,
      },
      {
        role: 'roles/storage.legacyBucketReader',
        members: ['projectViewer:dd-fixtures-prod'],
        condition: null,
      },
      { role: 'roles/storage.objectViewer', members: ['allUsers'], condition: null },
    ]);
    expect(resource.properties.publicAccessPrevention).toBe('inherited');
    expect((resource.native as { iamPolicy: { etag: string } }).iamPolicy.etag).toBe('CAU=');
  });

  it('turns IAM-only bucket records into buckets with their bindings and everything else unknown', () => {
    const { resources, errors } = scan([
      { document: gcpCorpus('cai-export-bucket-iam-world-readable.json'), source: 'iam.json' },
    ]);
    expect(errors).toEqual([]);
    const buckets = byId(resources);
    const first = buckets.get('//storage.googleapis.com/my-test-bucket') as Bucket;
    assertValidResource(first);
    expect(first.properties).toEqual({
      ...AWS_AND_AZURE_ONLY,
      publicAccessPrevention: null,
      publicAccessPreventionPolicy: null,
      iamBindings: [
        {
          role: 'roles/storage.legacyBucketOwner',
          members: ['projectEditor:test-editor', 'projectOwner:test-owner'],
          condition: null,
        },
        {
          role: 'roles/storage.legacyBucketReader',
          members: ['allUsers', 'projectViewer:test-viewer'],
          condition: null,
        },
      ],
      encryption: { atRest: null, algorithm: null, keyId: null },
      versioning: { enabled: null },
      crossTenantReplication: null,
      infrastructureEncryption: null,
      uniformAccess: null,
      publicNetworkAccess: null,
      trustedServicesBypass: null,
      privateEndpoint: null,
    });
    // No project in a bucket name, no parent, no ancestors: the project is not known.
    expect(first.account).toBe('');
    const second = buckets.get('//storage.googleapis.com/my-second-test-bucket') as Bucket;
    expect(second.properties.iamBindings?.[0]?.members).toContain('allAuthenticatedUsers');
  });

  it('keeps a getIamPolicy answer as recorded (allUsers on a non-storage role, convenience members)', () => {
    const body = flightBody('flight-storage-bucket-iam-allusers.json');
    const resource = normalizeOne({
      name: '//storage.googleapis.com/cloud-custodian-test-1',
      assetType: 'storage.googleapis.com/Bucket',
      iamPolicy: body,
    }) as Bucket;
    expect(resource.properties.iamBindings?.map((b) => b.role)).toEqual([
      'roles/cloudbuild.builds.builder',
      'roles/storage.legacyBucketOwner',
      'roles/storage.legacyBucketReader',
      'roles/storage.legacyObjectOwner',
      'roles/storage.legacyObjectReader',
    ]);
    expect(resource.properties.iamBindings?.[0]?.members).toEqual(['allUsers']);
  });
});

describe('publicAccessPreventionPolicy from ORG_POLICY records', () => {
  const bucket = () => nativeFixture('dd-storage-001-violating-pap-inherited.json');
  const orgPolicy = () =>
    clone(nativeFixture('org-policy-project-public-access-prevention.json')) as {
      name: string;
      org_policy: Record<string, unknown>[];
    };
  const policyOf = (...documents: unknown[]) => {
    const { resources } = scan(documents.map((document, i) => ({ document, source: `f${i}` })));
    return (resources.find((r) => r.kind === 'storage.bucket') as Bucket).properties
      .publicAccessPreventionPolicy;
  };

  it('is null when the inventory has no org policy for any ancestor', () => {
    expect(policyOf(bucket())).toBeNull();
  });

  it('is true when the project enforces constraints/storage.publicAccessPrevention', () => {
    expect(policyOf(orgPolicy(), bucket())).toBe(true);
    // The order of the records does not matter: collect runs over all of them first.
    expect(policyOf(bucket(), orgPolicy())).toBe(true);
  });

  it('is true when only the folder enforces it', () => {
    const folder = orgPolicy();
    folder.name = '//cloudresourcemanager.googleapis.com/folders/302194586720';
    expect(policyOf(folder, bucket())).toBe(true);
  });

  it('lets the project override the organization (the lowest policy wins)', () => {
    const org = orgPolicy();
    org.name = '//cloudresourcemanager.googleapis.com/organizations/671234098812';
    const project = orgPolicy();
    must(project.org_policy[0])['boolean_policy'] = {};
    expect(policyOf(org, project, bucket())).toBe(false);
    delete must(project.org_policy[0])['boolean_policy'];
    must(project.org_policy[0])['restore_default'] = {};
    expect(policyOf(org, project, bucket())).toBe(false);
  });

  it('is not made of an ORG_POLICY record alone: the record is context only', () => {
    const { resources, errors } = scan([{ document: orgPolicy(), source: 'org.json' }]);
    expect(resources).toEqual([]);
    expect(errors).toEqual([]);
  });
});
