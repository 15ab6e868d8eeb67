import type {
  InventoryContext,
  NativeRecord,
  ProviderInventory,
  Resource,
} from '@drift-detective/resource-model';
import { isRecord, nonEmptyString, own, type JsonObject } from './decode/values.js';
import { detectAws } from './envelope/detect.js';
import { isMessage } from './envelope/message.js';
import { unwrapAws } from './envelope/unwrap.js';
import { inferResourceType } from './item/infer-type.js';
import { normalizeRecord } from './normalize/resource.js';
import {
  ACCOUNT_PUBLIC_ACCESS_BLOCK,
  collectAccountPublicAccessBlock,
} from './normalize/s3-account-public-access-block.js';

/** A record's configuration item, bare or in a change notification; null for anything else. */
function itemOf(record: NativeRecord): JsonObject | null {
  const value = record.value;
  if (!isRecord(value)) return null;
  const item = isMessage(value) ? own(value, 'configurationItem') : value;
  return isRecord(item) ? item : null;
}

/** An item's resource type, as written or inferred from its shape; null when neither says. */
function typeOf(item: JsonObject): string | null {
  return nonEmptyString(own(item, 'resourceType')) ?? inferResourceType(item, null, null);
}

/**
 * The configuration item of an AWS::S3::AccountPublicAccessBlock record (bare,
 * or in a change notification), the one kind of item that is context for
 * others; null for any other record.
 */
function accountPublicAccessBlockItem(record: NativeRecord): JsonObject | null {
  const item = itemOf(record);
  return item && typeOf(item) === ACCOUNT_PUBLIC_ACCESS_BLOCK ? item : null;
}

const S3_BUCKET = 'AWS::S3::Bucket';

/** AWS Config inventories and change events → normalized resources. */
export const awsInventory: ProviderInventory = {
  provider: 'aws',

  detect: (document: unknown): boolean => detectAws(document),

  unwrap: (document: unknown, source: string): NativeRecord[] => unwrapAws(document, source),

  collect(record: NativeRecord, context: InventoryContext): boolean {
    const item = accountPublicAccessBlockItem(record);
    if (!item) return false;
    return collectAccountPublicAccessBlock({ item, diff: null }, record.source, context);
  },

  contributesContext: (record: NativeRecord): boolean =>
    accountPublicAccessBlockItem(record) !== null,

  // Only a bucket reads the account's Block Public Access; a record of no known type may be one.
  needsContext: (record: NativeRecord): boolean => {
    const item = itemOf(record);
    const type = item ? typeOf(item) : null;
    return type === null || type === S3_BUCKET;
  },

  normalize: (record: NativeRecord, context: InventoryContext): Resource =>
    normalizeRecord(record, context),

  // The first pass's account Block Public Access is only read by the bucket normalizer.
  normalizeReadsContextOnly: true,

  // Every AWS resource is normalized from its own item; context alone makes none.
  leftovers: (): Resource[] => [],
};
