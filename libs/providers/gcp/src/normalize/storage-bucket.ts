import {
  unknownStorageBucket,
  type StorageBucketProperties,
} from '@drift-detective/resource-model';
import { isObject, text, type JsonObject } from '../decode/values.js';
import { publicAccessPreventionEnforced } from '../org-policy.js';
import type { NormalizerInput } from './input.js';

/**
 * storage.googleapis.com/Bucket → storage.bucket. `data` is the JSON API bucket resource.
 * https://cloud.google.com/storage/docs/json_api/v1/buckets#resource
 */
export function normalizeStorageBucket(input: NormalizerInput): StorageBucketProperties {
  const { data } = input;
  // The AWS and Azure settings stay unknown.
  return {
    ...unknownStorageBucket(),
    publicAccessPrevention: publicAccessPrevention(data),
    publicAccessPreventionPolicy: publicAccessPreventionEnforced(
      input.asset.ancestors,
      input.context,
    ),
    iamBindings: input.iamBindings,
    encryption: encryption(data),
    versioning: { enabled: versioningEnabled(data) },
    uniformAccess: uniformAccess(data),
  };
}

/**
 * iamConfiguration.uniformBucketLevelAccess.enabled; older records carry the same switch under
 * its first name, bucketPolicyOnly. Neither: unknown.
 * https://cloud.google.com/storage/docs/json_api/v1/buckets#iamConfiguration
 * https://cloud.google.com/storage/docs/uniform-bucket-level-access
 */
function uniformAccess(data: JsonObject | null): boolean | null {
  const iamConfiguration = data?.['iamConfiguration'];
  if (!isObject(iamConfiguration)) return null;
  for (const key of ['uniformBucketLevelAccess', 'bucketPolicyOnly']) {
    const setting = iamConfiguration[key];
    const enabled = isObject(setting) ? setting['enabled'] : undefined;
    if (typeof enabled === 'boolean') return enabled;
  }
  return null;
}

/**
 * iamConfiguration.publicAccessPrevention as written ("enforced", "inherited", formerly
 * "unspecified"). Buckets read before the setting existed (2019 recordings) have no such key:
 * unknown, not "inherited".
 * https://cloud.google.com/storage/docs/public-access-prevention
 */
function publicAccessPrevention(data: JsonObject | null): string | null {
  const iamConfiguration = data?.['iamConfiguration'];
  return isObject(iamConfiguration) ? text(iamConfiguration['publicAccessPrevention']) : null;
}

/**
 * Cloud Storage always encrypts data at rest, with Google-managed keys unless the bucket names
 * a Cloud KMS key in encryption.defaultKmsKeyName (CMEK).
 * https://cloud.google.com/storage/docs/encryption
 * https://cloud.google.com/storage/docs/encryption/customer-managed-keys
 * Without the bucket's data (an IAM-only record) nothing is known.
 */
function encryption(data: JsonObject | null): StorageBucketProperties['encryption'] {
  if (data === null) return { atRest: null, algorithm: null, keyId: null };
  const config = data['encryption'];
  if (config === undefined || config === null) {
    return { atRest: true, algorithm: 'GOOGLE_MANAGED', keyId: null };
  }
  if (!isObject(config)) return { atRest: true, algorithm: null, keyId: null };
  const key = config['defaultKmsKeyName'];
  if (key === undefined || key === null || key === '') {
    return { atRest: true, algorithm: 'GOOGLE_MANAGED', keyId: null };
  }
  return typeof key === 'string'
    ? { atRest: true, algorithm: 'CMEK', keyId: key }
    : { atRest: true, algorithm: null, keyId: null };
}

/**
 * Decision: a bucket resource without `versioning`, or with `versioning: {}`, has versioning
 * off. The JSON API documents `versioning.enabled` as "While set to true, versioning is fully
 * enabled for this bucket" and Object Versioning is off until someone enables it; the API
 * leaves the key out for buckets that never had it (every bucket of a recorded
 * buckets.list), and CAI exports write the proto default as `{}`.
 * https://cloud.google.com/storage/docs/json_api/v1/buckets#resource (versioning.enabled)
 * https://cloud.google.com/storage/docs/object-versioning
 * Only when the data itself is missing (IAM-only record) or malformed is it unknown (null).
 */
function versioningEnabled(data: JsonObject | null): boolean | null {
  if (data === null) return null;
  const versioning = data['versioning'];
  if (versioning === undefined || versioning === null) return false;
  if (!isObject(versioning)) return null;
  const enabled = versioning['enabled'];
  // null is the proto3 JSON spelling of the default (false). https://protobuf.dev/programming-guides/json/
  if (enabled === undefined || enabled === null) return false;
  return typeof enabled === 'boolean' ? enabled : null;
}
