import {
  unknownStorageBucket,
  type PolicyStatement,
  type PublicAccessBlock,
} from '@drift-detective/resource-model';
import { partitionOf } from '../decode/arn.js';
import {
  decodePolicyDocument,
  policyStatements,
  RESOURCE_POLICY,
} from '../decode/policy-document.js';
import {
  accountPublicAccessBlockKey,
  NOTHING_BLOCKED,
  readPublicAccessBlock,
} from '../decode/public-access-block.js';
import {
  compareStrings,
  has,
  isRecord,
  nonEmptyString,
  own,
  stringOr,
  type JsonObject,
} from '../decode/values.js';
import type { TypeNormalizer } from './types.js';

type Grant = { grantee: string; permission: string };

/**
 * AWS::S3::Bucket → storage.bucket. The bucket's settings are in
 * supplementaryConfiguration (AWS Config resource schema for AWS::S3::Bucket:
 * https://github.com/awslabs/aws-config-resource-schema/blob/master/config/properties/resource-types/AWS%3A%3AS3%3A%3ABucket.properties.json).
 */
export const s3Bucket: TypeNormalizer<'storage.bucket'> = {
  kind: 'storage.bucket',

  // Bucket ARNs carry neither region nor account: arn:aws:s3:::name
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html).
  arn({ configuration, region, resourceId, resourceName }) {
    const name = nonEmptyString(own(configuration, 'name')) ?? resourceName ?? resourceId;
    const partition = partitionOf(region);
    return name && partition ? `arn:${partition}:s3:::${name}` : null;
  },

  name: (configuration) => nonEmptyString(own(configuration, 'name')),

  // BucketPolicy.policyText is JSON text inside the (already decoded) BucketPolicy.
  decode({ configuration, supplementary }, source) {
    const policy = supplementary ? own(supplementary, 'BucketPolicy') : undefined;
    if (!supplementary || !isRecord(policy) || typeof own(policy, 'policyText') !== 'string') {
      return { configuration, supplementary };
    }
    const text = decodePolicyDocument(own(policy, 'policyText'), 'BucketPolicy.policyText', source);
    return {
      configuration,
      supplementary: { ...supplementary, BucketPolicy: { ...policy, policyText: text } },
    };
  },

  properties({ account, supplementary, context, source }) {
    const policy = bucketPolicy(supplementary, source);
    // The Azure and GCP settings stay unknown; Object Ownership (BucketOwnerEnforced, what
    // uniformAccess reads elsewhere) is not among Config's supplementary items.
    return {
      ...unknownStorageBucket(),
      publicAccessBlock: publicAccessBlock(supplementary),
      accountPublicAccessBlock:
        context.get<PublicAccessBlock>(accountPublicAccessBlockKey(account)) ?? null,
      aclGrants: aclGrants(supplementary ? own(supplementary, 'AccessControlList') : undefined),
      policy: policy.statements,
      policyAbsent: policy.absent,
      encryption: encryption(supplementary),
      transport: {
        httpsOnly: httpsOnly(policy.statements, policy.absent),
        minimumTlsVersion: null,
      },
      versioning: { enabled: versioning(supplementary) },
    };
  },
};

/**
 * Config reports the bucket's Block Public Access in
 * supplementaryConfiguration.PublicAccessBlockConfiguration and leaves the key
 * out when the bucket has none, which means nothing is blocked at bucket level
 * (S3 GetPublicAccessBlock then answers NoSuchPublicAccessBlockConfiguration:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html).
 * An item without any supplementary configuration reports nothing: unknown.
 */
function publicAccessBlock(supplementary: JsonObject | null): PublicAccessBlock | null {
  if (supplementary === null || Object.keys(supplementary).length === 0) return null;
  const value = own(supplementary, 'PublicAccessBlockConfiguration');
  if (value === undefined || value === null) return { ...NOTHING_BLOCKED };
  return readPublicAccessBlock(value);
}

const GROUPS: Record<string, string> = {
  AllUsers: 'AllUsers',
  AuthenticatedUsers: 'AuthenticatedUsers',
  LogDelivery: 'LogDelivery',
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
  'http://acs.amazonaws.com/groups/s3/LogDelivery': 'LogDelivery',
};

/**
 * ACL grants. Config writes a group grantee as the bare group name
 * ("AllUsers"), the S3 API as a group URI
 * ("http://acs.amazonaws.com/groups/global/AllUsers",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee);
 * both become the group name. A canonical user is its id. One unreadable grant
 * makes the whole list unknown: leaving it out could hide a public grant.
 */
function aclGrants(acl: unknown): Grant[] | null {
  if (!isRecord(acl)) return null;
  const list = own(acl, 'grantList') ?? own(acl, 'grantSet');
  if (!Array.isArray(list)) return null;
  const grants: Grant[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) return null;
    const grantee = granteeOf(own(entry, 'grantee'));
    const permission = stringOr(own(entry, 'permission'));
    if (grantee === null || permission === null) return null;
    grants.push({ grantee, permission });
  }
  return grants.sort(
    (a, b) => compareStrings(a.grantee, b.grantee) || compareStrings(a.permission, b.permission),
  );
}

function granteeOf(value: unknown): string | null {
  if (typeof value === 'string') return groupName(value);
  if (!isRecord(value)) return null;
  for (const key of ['URI', 'uri', 'identifier', 'id', 'ID', 'emailAddress', 'EmailAddress']) {
    const text = nonEmptyString(own(value, key));
    if (text !== null) return groupName(text);
  }
  return null;
}

function groupName(grantee: string): string {
  return Object.hasOwn(GROUPS, grantee) ? (GROUPS[grantee] ?? grantee) : grantee;
}

/**
 * BucketPolicy.policyText: the decoded policy, or null when the bucket has no
 * policy (policyAbsent true). Without a BucketPolicy entry the policy is unknown.
 */
function bucketPolicy(
  supplementary: JsonObject | null,
  source: string,
): { statements: PolicyStatement[] | null; absent: boolean | null } {
  const policy = supplementary ? own(supplementary, 'BucketPolicy') : undefined;
  if (!isRecord(policy) || !has(policy, 'policyText')) return { statements: null, absent: null };
  const document = own(policy, 'policyText');
  if (document === null) return { statements: null, absent: true };
  if (!isRecord(document) && !Array.isArray(document)) return { statements: null, absent: null };
  return {
    statements: policyStatements(document, 'bucketPolicy', RESOURCE_POLICY, source),
    absent: false,
  };
}

/**
 * Only HTTPS when a statement denies every principal any request with
 * aws:SecureTransport false
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit);
 * false when the policy is known (or known to be absent) and has none; null when unknown.
 */
function httpsOnly(statements: PolicyStatement[] | null, absent: boolean | null): boolean | null {
  if (statements === null) return absent === true ? false : null;
  return statements.some(deniesPlainHttp);
}

function deniesPlainHttp(statement: PolicyStatement): boolean {
  if (statement.effect !== 'Deny' || statement.principals === null) return false;
  if (!statement.principals.every((p) => p.id === '*')) return false;
  return Object.entries(statement.conditions ?? {}).some(
    ([operator, keys]) =>
      (operator === 'Bool' || operator === 'BoolIfExists') &&
      Object.entries(keys).some(
        ([key, values]) =>
          key.toLowerCase() === 'aws:securetransport' &&
          values.some((value) => value.toLowerCase() === 'false'),
      ),
  );
}

/**
 * Default encryption from ServerSideEncryptionConfiguration: a rule → on, with
 * its algorithm (AES256 | aws:kms | aws:kms:dsse) and key; the configuration
 * without a rule → off. Since January 2023 every bucket has SSE-S3 by default
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html),
 * so an item without the key says nothing: unknown.
 */
function encryption(supplementary: JsonObject | null): {
  atRest: boolean | null;
  algorithm: string | null;
  keyId: string | null;
} {
  const unknown = { atRest: null, algorithm: null, keyId: null };
  const value = supplementary ? own(supplementary, 'ServerSideEncryptionConfiguration') : undefined;
  if (!isRecord(value)) return unknown;
  const rules = own(value, 'rules') ?? own(value, 'Rules');
  if (rules === undefined || (Array.isArray(rules) && rules.length === 0)) {
    return { atRest: false, algorithm: null, keyId: null };
  }
  if (!Array.isArray(rules)) return unknown;
  for (const rule of rules) {
    const byDefault = isRecord(rule)
      ? (own(rule, 'applyServerSideEncryptionByDefault') ??
        own(rule, 'ApplyServerSideEncryptionByDefault'))
      : undefined;
    if (!isRecord(byDefault)) continue;
    const algorithm = nonEmptyString(
      own(byDefault, 'sseAlgorithm') ?? own(byDefault, 'SSEAlgorithm'),
    );
    if (algorithm === null) continue;
    const keyId = nonEmptyString(
      own(byDefault, 'kmsMasterKeyID') ?? own(byDefault, 'KMSMasterKeyID'),
    );
    return { atRest: true, algorithm, keyId };
  }
  return unknown;
}

/** BucketVersioningConfiguration.status: "Enabled", or "Off" / "Suspended". */
function versioning(supplementary: JsonObject | null): boolean | null {
  const value = supplementary ? own(supplementary, 'BucketVersioningConfiguration') : undefined;
  const status = isRecord(value) ? own(value, 'status') : undefined;
  if (status === 'Enabled') return true;
  if (status === 'Off' || status === 'Suspended') return false;
  return null;
}
