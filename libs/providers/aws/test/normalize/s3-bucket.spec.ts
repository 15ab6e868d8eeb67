import type { StorageBucketProperties } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { accountPublicAccessBlockKey } from '../../src/index.js';
import {
  corpus,
  defined,
  native,
  normalizeOne,
  propertiesOf,
  scan,
  scanContext,
} from '../helpers.js';

const OWNER_E7 = 'e7c8bb65a5fc49cf906715eae09de9e4bb7861a96361ba79b833aa45f6833b15';
const OWNER_8A = '8ac813c84b8ad4d9f3e35f80aaeb254f85922a902ce87ed6b49ccbfa188f5a12';
const NONE_BLOCKED = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};
const ALL_BLOCKED = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const UNKNOWN_ENCRYPTION = { atRest: null, algorithm: null, keyId: null };
const NOT_AZURE_OR_GCP = {
  allowBlobPublicAccess: null,
  containerPublicAccess: null,
  publicAccessPrevention: null,
  publicAccessPreventionPolicy: null,
  iamBindings: null,
};

function bucket(document: unknown, source: string): StorageBucketProperties {
  return propertiesOf(normalizeOne(document, source), 'storage.bucket');
}

describe('AWS::S3::Bucket → storage.bucket', () => {
  const cases: {
    name: string;
    document: () => unknown;
    expected: Partial<StorageBucketProperties>;
  }[] = [
    {
      name: 'API shape: double-encoded ACL, policyText null, versioning Off, no PAB or SSE key',
      document: () => corpus('aws/config-ci-api-s3-bucket.json'),
      expected: {
        publicAccessBlock: NONE_BLOCKED,
        accountPublicAccessBlock: null,
        ...NOT_AZURE_OR_GCP,
        aclGrants: [{ grantee: OWNER_E7, permission: 'FullControl' }],
        policy: null,
        policyAbsent: true,
        encryption: UNKNOWN_ENCRYPTION,
        transport: { httpsOnly: false, minimumTlsVersion: null },
        versioning: { enabled: false },
      },
    },
    {
      name: 'API shape with a bare "AllUsers" grantee and versioning Suspended',
      document: () => corpus('aws/config-ci-api-s3-bucket-lifecycle.json'),
      expected: {
        aclGrants: [
          { grantee: 'AllUsers', permission: 'Read' },
          { grantee: OWNER_E7, permission: 'FullControl' },
        ],
        versioning: { enabled: false },
      },
    },
    {
      name: 'API shape with versioning Enabled',
      document: () => corpus('aws/config-ci-api-s3-bucket-replication-notification.json'),
      expected: { versioning: { enabled: true } },
    },
    {
      name: 'Config rule event: objects, but the ACL still JSON text',
      document: () => corpus('aws/config-rule-event-s3-bucket.json'),
      expected: {
        publicAccessBlock: NONE_BLOCKED,
        aclGrants: [{ grantee: OWNER_E7, permission: 'FullControl' }],
        policyAbsent: true,
        transport: { httpsOnly: false, minimumTlsVersion: null },
      },
    },
    {
      name: 'rdk example: a Deny on aws:SecureTransport "false" for "*" makes it HTTPS only',
      document: () => corpus('aws/rdk-ci-s3-bucket.json'),
      expected: {
        publicAccessBlock: NONE_BLOCKED,
        aclGrants: [{ grantee: OWNER_8A, permission: 'FullControl' }],
        policyAbsent: false,
        transport: { httpsOnly: true, minimumTlsVersion: null },
        versioning: { enabled: true },
      },
    },
    {
      name: 'SQS→SNS notification: "AuthenticatedUsers" and "LogDelivery" group grantees, a Deny that is not about transport',
      document: () => corpus('aws/placebo-sqs-config-notification-s3-created.json'),
      expected: {
        aclGrants: [
          { grantee: 'AuthenticatedUsers', permission: 'Read' },
          { grantee: 'LogDelivery', permission: 'ReadAcp' },
          { grantee: 'LogDelivery', permission: 'Write' },
        ],
        policyAbsent: false,
        transport: { httpsOnly: false, minimumTlsVersion: null },
        versioning: { enabled: true },
      },
    },
    {
      name: 'PublicAccessBlockConfiguration with all four settings off',
      document: () => native('dd-storage-001-violating-bucket-block-off.json'),
      expected: {
        publicAccessBlock: NONE_BLOCKED,
        encryption: { atRest: true, algorithm: 'AES256', keyId: null },
      },
    },
    {
      name: 'PublicAccessBlockConfiguration with all four settings on',
      document: () => native('dd-storage-001-compliant-bucket-block-on.json'),
      expected: { publicAccessBlock: ALL_BLOCKED },
    },
    {
      name: 'ServerSideEncryptionConfiguration without a rule: no default encryption',
      document: () => native('dd-storage-003-violating-no-default-encryption.json'),
      expected: { encryption: { atRest: false, algorithm: null, keyId: null } },
    },
    {
      name: 'SSE-KMS rule: algorithm and key',
      document: () => native('dd-storage-003-compliant-sse-kms.json'),
      expected: {
        encryption: {
          atRest: true,
          algorithm: 'aws:kms',
          keyId: 'arn:aws:kms:us-east-1:123456789012:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
        },
      },
    },
    {
      name: 'API shape with PAB and SSE as JSON text: partial block, DSSE-KMS',
      document: () => native('s3-bucket-api-shape-block-and-encryption.json'),
      expected: {
        publicAccessBlock: {
          blockPublicAcls: true,
          ignorePublicAcls: false,
          blockPublicPolicy: true,
          restrictPublicBuckets: false,
        },
        aclGrants: [
          { grantee: OWNER_8A, permission: 'FullControl' },
          { grantee: 'AuthenticatedUsers', permission: 'Read' },
        ],
        encryption: {
          atRest: true,
          algorithm: 'aws:kms:dsse',
          keyId: 'arn:aws:kms:eu-west-1:123456789012:key/3e4f5a6b-7c8d-4e9f-9a0b-2c3d4e5f6a7b',
        },
        transport: { httpsOnly: true, minimumTlsVersion: null },
        versioning: { enabled: false },
      },
    },
  ];

  it.each(cases)('$name', ({ document, expected, name }) => {
    expect(bucket(document(), name)).toMatchObject(expected);
  });

  it('decodes the bucket policy into statements with principals and conditions', () => {
    const properties = bucket(native('dd-storage-002-violating-policy-allow-star.json'), 'policy');
    expect(properties.policy).toEqual([
      {
        source: 'bucketPolicy',
        sid: 'PublicRead',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        notActions: null,
        resources: ['arn:aws:s3:::acme-public-site/*'],
        notResources: null,
        principals: [{ type: '*', id: '*' }],
        notPrincipals: null,
        conditions: null,
      },
      {
        source: 'bucketPolicy',
        sid: 'DenyPlainHttp',
        effect: 'Deny',
        actions: ['s3:*'],
        notActions: null,
        resources: ['arn:aws:s3:::acme-public-site', 'arn:aws:s3:::acme-public-site/*'],
        notResources: null,
        principals: [{ type: '*', id: '*' }],
        notPrincipals: null,
        conditions: { Bool: { 'aws:SecureTransport': ['false'] } },
      },
    ]);
  });

  it('turns an S3 API group URI into the group name and keeps a canonical id', () => {
    const item = structuredClone(native('dd-storage-002-compliant-acl-owner-only.json')) as {
      supplementaryConfiguration: { AccessControlList: string };
    };
    item.supplementaryConfiguration.AccessControlList = JSON.stringify({
      grantList: [
        { grantee: { URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' },
        { grantee: { ID: OWNER_8A }, permission: 'FULL_CONTROL' },
      ],
    });
    expect(bucket(item, 'uri grantee').aclGrants).toEqual([
      { grantee: OWNER_8A, permission: 'FULL_CONTROL' },
      { grantee: 'AllUsers', permission: 'READ' },
    ]);
  });

  it('leaves the ACL unknown when one grant cannot be read, rather than dropping it', () => {
    const item = structuredClone(native('dd-storage-002-violating-acl-all-users.json')) as {
      supplementaryConfiguration: { AccessControlList: string };
    };
    item.supplementaryConfiguration.AccessControlList = JSON.stringify({
      grantList: [{ grantee: 42, permission: 'Read' }],
    });
    expect(bucket(item, 'bad grant').aclGrants).toBeNull();
  });

  it('reports nothing as known when the item has no supplementary configuration', () => {
    const item = structuredClone(
      native('dd-storage-001-violating-bucket-block-off.json'),
    ) as Record<string, unknown>;
    delete item['supplementaryConfiguration'];
    expect(bucket(item, 'no supplementary')).toMatchObject({
      publicAccessBlock: null,
      aclGrants: null,
      policy: null,
      policyAbsent: null,
      encryption: UNKNOWN_ENCRYPTION,
      transport: { httpsOnly: null, minimumTlsVersion: null },
      versioning: { enabled: null },
    });
  });

  it("reads the account's Block Public Access collected from the same inventory", () => {
    const result = scan(
      native('batch-get-resource-config-account-block-and-bucket.json'),
      'batch.json',
    );
    expect(result.contextOnly.map((r) => r.source)).toEqual(['batch.json[0]']);
    expect(result.resources).toHaveLength(1);
    const properties = propertiesOf(defined(result.resources[0]), 'storage.bucket');
    expect(properties.accountPublicAccessBlock).toEqual(ALL_BLOCKED);
    // The bucket itself has no block of its own.
    expect(properties.publicAccessBlock).toEqual(NONE_BLOCKED);
    expect(properties.transport.httpsOnly).toBe(false);
  });

  it('keeps the account block per account: another account sees none', () => {
    const context = scanContext();
    context.set(accountPublicAccessBlockKey('999999999999'), ALL_BLOCKED);
    const properties = bucket(native('dd-storage-001-violating-bucket-block-off.json'), 'b');
    expect(properties.accountPublicAccessBlock).toBeNull();
    const again = propertiesOf(
      normalizeOne(native('dd-storage-001-violating-bucket-block-off.json'), 'b', context),
      'storage.bucket',
    );
    expect(again.accountPublicAccessBlock).toBeNull();
  });
});
