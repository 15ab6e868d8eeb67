import type { KmsKeyProperties } from '@drift-detective/resource-model';
import { isObject, objectAt, text, type JsonObject } from '../decode/values.js';
import type { NormalizerInput } from './input.js';

const SECONDS_PER_DAY = 86_400;

/**
 * cloudkms.googleapis.com/CryptoKey → kms.key.
 * https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys
 */
export function normalizeKmsCryptoKey(input: NormalizerInput): KmsKeyProperties {
  const { data } = input;
  const rotation = data === null ? { enabled: null, days: null } : readRotation(data);
  return {
    rotationEnabled: rotation.enabled,
    rotationPeriodDays: rotation.days,
    // Every key in Cloud KMS is a customer-managed key (CMEK); Google-owned keys are not listed.
    // https://cloud.google.com/kms/docs/cmek
    keyManager: data === null ? null : 'CUSTOMER',
    // primary.state ("ENABLED", "DISABLED", "DESTROY_SCHEDULED"…); asymmetric keys have no primary.
    keyState: text(objectAt(data?.['primary'])?.['state']),
    policy: null,
    iamBindings: input.iamBindings,
    publicNetworkAccess: null,
    purgeProtected: null,
    rbacAuthorization: null,
    privateEndpoint: null,
  };
}

/**
 * rotationPeriod is a Duration: "7776000s" in JSON (`{seconds, nanos}` from the Node client).
 * Without it the key does not rotate by itself — but only ENCRYPT_DECRYPT (symmetric) keys can
 * rotate automatically ("Cloud Key Management Service does not support automatic rotation of asymmetric keys"),
 * so for other purposes the absence says nothing about a choice: null.
 * https://cloud.google.com/kms/docs/key-rotation
 * https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys#CryptoKey (rotationPeriod)
 */
function readRotation(data: JsonObject): { enabled: boolean | null; days: number | null } {
  const period = data['rotationPeriod'];
  if (period === undefined || period === null) {
    return { enabled: data['purpose'] === 'ENCRYPT_DECRYPT' ? false : null, days: null };
  }
  const seconds = durationSeconds(period);
  if (seconds === null) return { enabled: null, days: null };
  return { enabled: true, days: seconds / SECONDS_PER_DAY };
}

function durationSeconds(value: unknown): number | null {
  if (typeof value === 'string') {
    const match = /^(\d+)(\.\d{1,9})?s$/.exec(value);
    const seconds = match ? Number(`${match[1]}${match[2] ?? ''}`) : NaN;
    return Number.isFinite(seconds) ? seconds : null;
  }
  if (isObject(value)) {
    const { seconds, nanos } = value;
    const secs =
      typeof seconds === 'number' ? seconds : typeof seconds === 'string' ? Number(seconds) : NaN;
    const nano =
      typeof nanos === 'number' ? nanos : nanos === undefined || nanos === null ? 0 : NaN;
    const total = secs + nano / 1e9;
    return Number.isFinite(total) && total >= 0 ? total : null;
  }
  return null;
}
