import { NormalizeError, type PolicyStatement } from '@drift-detective/resource-model';
import { regionalArn } from '../decode/arn.js';
import { policyStatements, RESOURCE_POLICY } from '../decode/policy-document.js';
import { isRecord, nonEmptyString, own, type JsonObject } from '../decode/values.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::KMS::Key → kms.key. Rotation comes from
 * supplementaryConfiguration.KeyRotationStatus (a boolean, or "true"/"false"
 * text in API-shape items), the key policy from supplementaryConfiguration.Policy
 * (pretty-printed JSON text).
 * https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
 */
export const kmsKey: TypeNormalizer<'kms.key'> = {
  kind: 'kms.key',

  arn: ({ configuration, region, account, resourceId }) => {
    const arn = nonEmptyString(own(configuration, 'arn'));
    if (arn?.startsWith('arn:')) return arn;
    const keyId = nonEmptyString(own(configuration, 'keyId')) ?? resourceId;
    return regionalArn('kms', region, account, keyId === null ? null : `key/${keyId}`);
  },

  account: (configuration) => nonEmptyString(own(configuration, 'awsaccountId')),
  name: (configuration) => nonEmptyString(own(configuration, 'keyId')),

  properties: ({ configuration, supplementary, source }) => ({
    rotationEnabled: rotation(supplementary ? own(supplementary, 'KeyRotationStatus') : undefined),
    rotationPeriodDays: null,
    keyManager: nonEmptyString(own(configuration, 'keyManager')),
    keyState: nonEmptyString(own(configuration, 'keyState')),
    policy: keyPolicy(supplementary, source),
    iamBindings: null,
    publicNetworkAccess: null,
    purgeProtected: null,
    rbacAuthorization: null,
    privateEndpoint: null,
  }),
};

function rotation(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
}

function keyPolicy(supplementary: JsonObject | null, source: string): PolicyStatement[] | null {
  const policy = supplementary ? own(supplementary, 'Policy') : undefined;
  if (policy === undefined || policy === null) return null;
  if (!isRecord(policy) && !Array.isArray(policy)) {
    throw new NormalizeError(source, 'supplementaryConfiguration.Policy is not a key policy');
  }
  return policyStatements(policy, 'keyPolicy', RESOURCE_POLICY, source);
}
