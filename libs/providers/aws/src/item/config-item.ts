import { NormalizeError } from '@drift-detective/resource-model';
import { isAccountId, shown } from '../decode/account-id.js';
import { parseArn } from '../decode/arn.js';
import { decodeJsonLayers, parseJsonText } from '../decode/json-text.js';
import { has, isRecord, nonEmptyString, own, setKey, type JsonObject } from '../decode/values.js';
import { inferResourceType } from './infer-type.js';

/**
 * One configuration item with its configuration and supplementary
 * configuration decoded. Config writes items in two envelopes
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationItem.html):
 * API / history style (`arn`, `accountId`, `version`, configuration and every
 * supplementaryConfiguration value as JSON text) and notification / snapshot
 * style (`ARN`, `awsAccountId`, `configurationItemVersion`, objects).
 */
export interface ConfigItem {
  readonly source: string;
  /** The item as it came (configuration maybe still JSON text). */
  readonly raw: JsonObject;
  /** resourceType as written, else told from an ARN or the fields (SelectResourceConfig rows). */
  readonly resourceType: string | null;
  /** Decoded configuration; null when the item has none (deleted, not recorded). */
  readonly configuration: JsonObject | null;
  /** Decoded supplementaryConfiguration; null when absent or not a map. */
  readonly supplementary: JsonObject | null;
}

export const DELETED_STATUSES = ['ResourceDeleted', 'ResourceDeletedNotRecorded'];

export function readItem(raw: JsonObject, source: string): ConfigItem {
  const configuration = decodeConfiguration(raw, source);
  const supplementary = decodeSupplementary(raw, source);
  const written = nonEmptyString(own(raw, 'resourceType'));
  return {
    source,
    raw,
    resourceType: written ?? inferResourceType(raw, configuration, supplementary),
    configuration,
    supplementary,
  };
}

function decodeConfiguration(raw: JsonObject, source: string): JsonObject | null {
  const value = own(raw, 'configuration');
  if (value === undefined || value === null) return null;
  const decoded = typeof value === 'string' ? parseJsonText(value, 'configuration', source) : value;
  if (decoded === null) return null;
  if (!isRecord(decoded)) throw new NormalizeError(source, 'configuration is not an object');
  return decoded;
}

function decodeSupplementary(raw: JsonObject, source: string): JsonObject | null {
  const value = own(raw, 'supplementaryConfiguration');
  if (!isRecord(value)) return null;
  const decoded: JsonObject = {};
  for (const [key, entry] of Object.entries(value)) {
    setKey(decoded, key, decodeJsonLayers(entry, `supplementaryConfiguration.${key}`, source));
  }
  return decoded;
}

/** The item with its decoded parts in place: what Resource.native holds. */
export function nativeOf(
  raw: JsonObject,
  configuration: JsonObject | null,
  supplementary: JsonObject | null,
): JsonObject {
  const native: JsonObject = { ...raw };
  if (has(raw, 'configuration')) setKey(native, 'configuration', configuration);
  if (supplementary !== null) setKey(native, 'supplementaryConfiguration', supplementary);
  return native;
}

/** The ARN the envelope states (`ARN` in notifications, `arn` in API answers). */
export function envelopeArn(raw: JsonObject): string | null {
  for (const key of ['ARN', 'arn']) {
    const value = own(raw, key);
    if (parseArn(value) !== null) return value as string;
  }
  return null;
}

/**
 * The account the envelope states (`awsAccountId` in notifications,
 * `accountId` in API answers); null when it states none. One it states that
 * is no account id (12 digits) throws NormalizeError naming the field: its
 * findings would belong to no account (or another one), so the record is
 * skipped, or its event dead-lettered, with that reason.
 */
export function envelopeAccount(raw: JsonObject, source: string): string | null {
  for (const field of ['awsAccountId', 'accountId']) {
    const value = own(raw, field);
    if (value === undefined || value === null || value === '') continue;
    if (!isAccountId(value)) {
      throw new NormalizeError(
        source,
        `${field} ${shown(value)} is not an AWS account id (12 digits)`,
      );
    }
    return value;
  }
  return null;
}
