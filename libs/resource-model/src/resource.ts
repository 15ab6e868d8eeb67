import { z } from 'zod';
import { Change, Provider } from './common.js';
import { AuditTrailProperties } from './kinds/audit-trail.js';
import { ComputeInstanceProperties } from './kinds/compute-instance.js';
import { DatabaseInstanceProperties } from './kinds/database-instance.js';
import { IamBindingProperties } from './kinds/iam-binding.js';
import { IamPolicyProperties } from './kinds/iam-policy.js';
import { KmsKeyProperties } from './kinds/kms-key.js';
import { NetworkFirewallProperties } from './kinds/network-firewall.js';
import { ServerlessFunctionProperties } from './kinds/serverless-function.js';
import { StorageBucketProperties } from './kinds/storage-bucket.js';

/** RFC 3339 date-time with a zone ("Z" or an offset). */
const Rfc3339 = z.iso.datetime({ offset: true });

/** What every resource carries, whatever its kind. */
const ResourceBase = z.object({
  provider: Provider,
  /** Native type as the provider spells it in its API: "AWS::S3::Bucket", "Microsoft.Storage/storageAccounts", "storage.googleapis.com/Bucket". */
  nativeType: z.string().min(1),
  /** Canonical id: ARN, ARM id (original case), Cloud Asset full name. */
  id: z.string().min(1),
  name: z.string(),
  /** AWS account id, Azure subscription id, GCP project (id or number as the source gives it). */
  account: z.string(),
  region: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  /** When this state was observed (capture time of the item / read time), RFC 3339. */
  observedAt: Rfc3339,
  /** The native configuration, decoded: no JSON left inside strings. */
  native: z.unknown(),
  change: Change.optional(),
});

export const KIND_PROPERTIES = {
  'storage.bucket': StorageBucketProperties,
  'network.firewall': NetworkFirewallProperties,
  'iam.policy': IamPolicyProperties,
  'iam.binding': IamBindingProperties,
  'database.instance': DatabaseInstanceProperties,
  'compute.instance': ComputeInstanceProperties,
  'kms.key': KmsKeyProperties,
  'audit.trail': AuditTrailProperties,
  'serverless.function': ServerlessFunctionProperties,
  /** Anything unmapped: only `native`, for provider-specific policies. */
  other: z.object({}).strict(),
} as const;

export type Kind = keyof typeof KIND_PROPERTIES;
export const KINDS = Object.keys(KIND_PROPERTIES) as Kind[];

function variant<K extends Kind>(kind: K) {
  return ResourceBase.extend({ kind: z.literal(kind), properties: KIND_PROPERTIES[kind] });
}

/** The top-level fields of every resource, whatever its kind. */
export const RESOURCE_FIELDS: readonly string[] = [
  ...Object.keys(ResourceBase.shape),
  'kind',
  'properties',
];

/** The normalized resource: one shape for every provider, discriminated by `kind`. */
export const Resource = z.discriminatedUnion('kind', [
  variant('storage.bucket'),
  variant('network.firewall'),
  variant('iam.policy'),
  variant('iam.binding'),
  variant('database.instance'),
  variant('compute.instance'),
  variant('kms.key'),
  variant('audit.trail'),
  variant('serverless.function'),
  variant('other'),
]);
export type Resource = z.infer<typeof Resource>;

/** The properties type of one kind. */
export type PropertiesOf<K extends Kind> = z.infer<(typeof KIND_PROPERTIES)[K]>;
/** A resource of one kind. */
export type ResourceOf<K extends Kind> = Extract<Resource, { kind: K }>;
