import type { Kind, PropertiesOf } from '@drift-detective/resource-model';
import { normalizeCloudFunction } from './cloud-function.js';
import { normalizeComputeFirewall } from './compute-firewall.js';
import { normalizeComputeInstance } from './compute-instance.js';
import type { NormalizerInput } from './input.js';
import { normalizeKmsCryptoKey } from './kms-crypto-key.js';
import { normalizeProject } from './project.js';
import { normalizeServiceAccount } from './service-account.js';
import { normalizeSqlInstance } from './sql-instance.js';
import { normalizeStorageBucket } from './storage-bucket.js';

/** Cloud Asset type → normalized kind. Every other asset type becomes kind `other`. */
export const SUPPORTED_TYPES = {
  'storage.googleapis.com/Bucket': 'storage.bucket',
  'compute.googleapis.com/Firewall': 'network.firewall',
  'compute.googleapis.com/Instance': 'compute.instance',
  'sqladmin.googleapis.com/Instance': 'database.instance',
  'cloudkms.googleapis.com/CryptoKey': 'kms.key',
  'cloudresourcemanager.googleapis.com/Project': 'iam.binding',
  'iam.googleapis.com/ServiceAccount': 'iam.binding',
  'cloudfunctions.googleapis.com/CloudFunction': 'serverless.function',
  'cloudfunctions.googleapis.com/Function': 'serverless.function',
} as const satisfies Record<string, Kind>;

export type SupportedType = keyof typeof SUPPORTED_TYPES;

type Normalizer<T extends SupportedType> = (
  input: NormalizerInput,
) => PropertiesOf<(typeof SUPPORTED_TYPES)[T]>;

export const NORMALIZERS: { readonly [T in SupportedType]: Normalizer<T> } = {
  'storage.googleapis.com/Bucket': normalizeStorageBucket,
  'compute.googleapis.com/Firewall': normalizeComputeFirewall,
  'compute.googleapis.com/Instance': normalizeComputeInstance,
  'sqladmin.googleapis.com/Instance': normalizeSqlInstance,
  'cloudkms.googleapis.com/CryptoKey': normalizeKmsCryptoKey,
  'cloudresourcemanager.googleapis.com/Project': normalizeProject,
  'iam.googleapis.com/ServiceAccount': normalizeServiceAccount,
  'cloudfunctions.googleapis.com/CloudFunction': normalizeCloudFunction,
  'cloudfunctions.googleapis.com/Function': normalizeCloudFunction,
};

export function isSupportedType(assetType: string): assetType is SupportedType {
  return Object.hasOwn(SUPPORTED_TYPES, assetType);
}

export type { NormalizerInput } from './input.js';
