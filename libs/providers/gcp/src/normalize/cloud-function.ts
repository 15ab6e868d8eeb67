import type { ServerlessFunctionProperties } from '@drift-detective/resource-model';
import { isObject, objectAt, text, type JsonObject } from '../decode/values.js';
import type { NormalizerInput } from './input.js';

/**
 * cloudfunctions.googleapis.com/CloudFunction (v1 API: runtime, serviceAccountEmail,
 * httpsTrigger at the top) and cloudfunctions.googleapis.com/Function (v2 API: buildConfig,
 * serviceConfig) → serverless.function.
 * https://cloud.google.com/functions/docs/reference/rest/v1/projects.locations.functions
 * https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions
 */
export function normalizeCloudFunction(input: NormalizerInput): ServerlessFunctionProperties {
  const { data } = input;
  const buildConfig = objectAt(data?.['buildConfig']);
  const serviceConfig = objectAt(data?.['serviceConfig']);
  return {
    runtime: text(data?.['runtime']) ?? text(buildConfig?.['runtime']),
    identity: text(data?.['serviceAccountEmail']) ?? text(serviceConfig?.['serviceAccountEmail']),
    policy: null,
    iamBindings: input.iamBindings,
    httpsOnly: data === null ? null : httpsOnly(data, serviceConfig),
    minimumTlsVersion: null,
  };
}

/**
 * v1: httpsTrigger.securityLevel SECURE_ALWAYS → true, SECURE_OPTIONAL → false; "If
 * unspecified, SECURE_OPTIONAL will be used". A function without httpsTrigger (event-triggered)
 * has no URL: null.
 * https://cloud.google.com/functions/docs/reference/rest/v1/projects.locations.functions#SecurityLevel
 * v2: serviceConfig.securityLevel when set; otherwise 2nd gen functions (environment GEN_2)
 * are HTTPS only — "By default https is optional for 1st Gen functions; 2nd Gen functions are
 * https ONLY".
 * https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions#ServiceConfig
 */
function httpsOnly(data: JsonObject, serviceConfig: JsonObject | null): boolean | null {
  const trigger = data['httpsTrigger'];
  if (isObject(trigger)) return securityLevel(trigger['securityLevel']);
  const level = serviceConfig?.['securityLevel'];
  if (level !== undefined && level !== null) return securityLevel(level);
  return data['environment'] === 'GEN_2' ? true : null;
}

function securityLevel(level: unknown): boolean | null {
  if (level === 'SECURE_ALWAYS') return true;
  if (
    level === 'SECURE_OPTIONAL' ||
    level === 'SECURITY_LEVEL_UNSPECIFIED' ||
    level === undefined ||
    level === null
  ) {
    return false;
  }
  return null;
}
