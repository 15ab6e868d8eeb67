import { z } from 'zod';
import { IamBinding, PolicyStatement, Tristate } from '../common.js';

/** The four S3 Block Public Access settings (PublicAccessBlockConfiguration). */
export const PublicAccessBlock = z.object({
  blockPublicAcls: Tristate,
  ignorePublicAcls: Tristate,
  blockPublicPolicy: Tristate,
  restrictPublicBuckets: Tristate,
});
export type PublicAccessBlock = z.infer<typeof PublicAccessBlock>;

/** One ACL grant. Grantees are normalized: "AllUsers", "AuthenticatedUsers", or the native id. */
export const AclGrant = z.object({ grantee: z.string(), permission: z.string() });

/**
 * storage.bucket — S3 bucket, Azure storage account (and its blob containers),
 * Cloud Storage bucket.
 */
export const StorageBucketProperties = z.object({
  /** AWS: bucket-level Block Public Access; all four false when the item has none (nothing blocked). */
  publicAccessBlock: PublicAccessBlock.nullable(),
  /** AWS: the account's Block Public Access, when the inventory holds AWS::S3::AccountPublicAccessBlock. */
  accountPublicAccessBlock: PublicAccessBlock.nullable(),
  /** Azure: storage account allowBlobPublicAccess (absent on old API versions → null). */
  allowBlobPublicAccess: Tristate,
  /** Azure blob container: "None" | "Blob" | "Container". null for anything that is not a container. */
  containerPublicAccess: z.string().nullable(),
  /** GCP: iamConfiguration.publicAccessPrevention ("enforced" | "inherited" | "unspecified"). */
  publicAccessPrevention: z.string().nullable(),
  /** GCP: an enforced constraints/storage.publicAccessPrevention org policy on an ancestor, when known. */
  publicAccessPreventionPolicy: Tristate,
  /** ACL grants (AWS object ACL of the bucket); null when not reported. */
  aclGrants: z.array(AclGrant).nullable(),
  /** Bucket policy statements (AWS); null when the bucket has no policy or it was not reported. */
  policy: z.array(PolicyStatement).nullable(),
  /** True when the source reports that the bucket has no policy at all (AWS). */
  policyAbsent: Tristate,
  /** IAM bindings on the bucket (GCP); null when not reported. */
  iamBindings: z.array(IamBinding).nullable(),
  encryption: z.object({
    /** Default encryption at rest: false only when the source says there is none. */
    atRest: Tristate,
    algorithm: z.string().nullable(),
    keyId: z.string().nullable(),
  }),
  transport: z.object({
    /** Only HTTPS accepted (Azure supportsHttpsTrafficOnly; AWS: a policy denies aws:SecureTransport=false). */
    httpsOnly: Tristate,
    /** "TLS1_0" | "TLS1_1" | "TLS1_2" | "TLS1_3" as the provider writes it. */
    minimumTlsVersion: z.string().nullable(),
  }),
  versioning: z.object({ enabled: Tristate }),
  /**
   * Azure allowCrossTenantReplication: object replication to accounts of other Entra tenants is
   * allowed. null when not reported (the default differs for accounts made before 2024).
   */
  crossTenantReplication: Tristate,
  /**
   * Azure encryption.requireInfrastructureEncryption: a second layer of encryption at rest (CIS
   * Azure 4.2; no rule reads it yet, see docs/coverage.md).
   */
  infrastructureEncryption: Tristate,
  /**
   * Access is decided by IAM alone, with object ACLs off: GCP
   * iamConfiguration.uniformBucketLevelAccess.enabled (formerly bucketPolicyOnly). null where
   * not reported (S3 Object Ownership is not in the Config item; Azure has no object ACLs).
   */
  uniformAccess: Tristate,
  /**
   * Reachable from public networks at all: Azure publicNetworkAccess "Enabled" (true),
   * "Disabled" or "SecuredByPerimeter" (false). null when not reported (accounts that never set
   * it omit it) and on clouds whose buckets have no such switch.
   */
  publicNetworkAccess: Tristate,
  /**
   * Azure networkAcls.bypass names AzureServices: trusted Microsoft services reach the account
   * past its network rules. null when not reported.
   */
  trustedServicesBypass: Tristate,
  /**
   * Azure: reached through at least one approved private endpoint (privateEndpointConnections).
   * null when not reported, and on clouds that have no such connections on the bucket.
   */
  privateEndpoint: Tristate,
});
export type StorageBucketProperties = z.infer<typeof StorageBucketProperties>;

/** storage.bucket properties with nothing known yet: the start every normalizer fills in. */
export function unknownStorageBucket(): StorageBucketProperties {
  return {
    publicAccessBlock: null,
    accountPublicAccessBlock: null,
    allowBlobPublicAccess: null,
    containerPublicAccess: null,
    publicAccessPrevention: null,
    publicAccessPreventionPolicy: null,
    aclGrants: null,
    policy: null,
    policyAbsent: null,
    iamBindings: null,
    encryption: { atRest: null, algorithm: null, keyId: null },
    transport: { httpsOnly: null, minimumTlsVersion: null },
    versioning: { enabled: null },
    crossTenantReplication: null,
    infrastructureEncryption: null,
    uniformAccess: null,
    publicNetworkAccess: null,
    trustedServicesBypass: null,
    privateEndpoint: null,
  };
}
