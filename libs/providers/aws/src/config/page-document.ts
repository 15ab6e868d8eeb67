import type { BaseConfigurationItem } from '@aws-sdk/client-config-service';
import { batchGetAll, type BatchRetryOptions } from './batch-get.js';
import { toPlainJson, type JsonValue } from './plain-json.js';
import type { PageSource } from './sources.js';

const S3_BUCKET = 'AWS::S3::Bucket';

/** A BatchGetResourceConfig answer as the wire carries it: what awsInventory unwraps. */
export interface BatchGetDocument {
  readonly baseConfigurationItems: JsonValue[];
}

/**
 * The AccountPublicAccessBlock items of the accounts seen so far in one sweep,
 * by PageSource.accountBlockScope: each is looked up once per sweep.
 */
export type AccountBlockCache = Map<string, readonly BaseConfigurationItem[]>;

/**
 * One sweep page: the listed keys → their configuration items (batch get,
 * unprocessed keys retried) → one plain-JSON BatchGetResourceConfig document.
 *
 * The pipeline normalizes each document with a fresh context, and the bucket
 * normalizer reads the account's Block Public Access from that context
 * (filled by collect from an AWS::S3::AccountPublicAccessBlock item). So a
 * document with buckets carries the AccountPublicAccessBlock item of each of
 * their accounts, first: without it a bucket covered by its account's
 * setting would be judged as if nothing blocked public access.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 *
 * Null when no key returned an item (all deleted since the listing).
 */
export async function readPageDocument<K>(
  keys: readonly K[],
  source: PageSource<K>,
  accountBlocks: AccountBlockCache,
  retry: BatchRetryOptions = {},
): Promise<BatchGetDocument | null> {
  const items = await batchGetAll(keys, source.batchGet, source.describeKey, retry);
  if (items.length === 0) return null;
  const blocks: BaseConfigurationItem[] = [];
  const scopes = new Set<string>();
  for (const bucket of items.filter((item) => item.resourceType === S3_BUCKET)) {
    const scope = source.accountBlockScope(bucket);
    if (scopes.has(scope)) continue;
    scopes.add(scope);
    let found = accountBlocks.get(scope);
    if (found === undefined) {
      const blockKeys = await source.accountBlockKeys(bucket);
      found = await batchGetAll(blockKeys, source.batchGet, source.describeKey, retry);
      accountBlocks.set(scope, found);
    }
    blocks.push(...found);
  }
  return {
    baseConfigurationItems: [...blocks, ...items].map((item, index) =>
      toPlainJson(item, `baseConfigurationItems[${index}]`),
    ),
  };
}
