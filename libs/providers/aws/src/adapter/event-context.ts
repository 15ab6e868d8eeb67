import type { BaseConfigurationItem, ConfigServiceClient } from '@aws-sdk/client-config-service';
import { batchGetAll } from '../config/batch-get.js';
import {
  readPageDocument,
  type AccountBlockCache,
  type BatchGetDocument,
} from '../config/page-document.js';
import { toPlainJson, type JsonValue } from '../config/plain-json.js';
import { accountSource } from '../config/sources.js';
import { captureTimeToRfc3339 } from '../decode/capture-time.js';
import { isRecord, nonEmptyString, own } from '../decode/values.js';
import { itemOf } from '../envelope/message.js';
import { unwrapAws } from '../envelope/unwrap.js';
import { envelopeAccount } from '../item/config-item.js';
import { ACCOUNT_PUBLIC_ACCESS_BLOCK } from '../normalize/s3-account-public-access-block.js';

const S3_BUCKET = 'AWS::S3::Bucket';
const PAGE_SIZE = 100;

interface AccountRegion {
  readonly account: string;
  readonly region: string;
}

/** An account block item of the event: where it applies, and when Config captured it. */
interface BlockChange extends AccountRegion {
  /** RFC 3339; null when the item names no readable capture time. */
  readonly capturedAt: string | null;
}

/**
 * An event carries one configuration item, but S3 public access is decided
 * by the bucket's settings and its account's together
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
 * A sweep reads both; an event needs the other half from AWS Config:
 * - a bucket change gets its account's AccountPublicAccessBlock item, so a
 *   bucket whose own block is off in an account that blocks is not reported;
 * - an account block change re-judges every bucket of the account in that
 *   region, so turning the account block off reports the buckets it exposed,
 *   and turning it on resolves them.
 * Returns the event's document with the fetched items beside it; the event's
 * own items come last, so its account block wins over the recorded one.
 */
export function accountContextEnricher(
  configFor: (region: string) => ConfigServiceClient,
): (document: unknown, source: string) => Promise<unknown> {
  return async (document, source) => {
    const { buckets, blocks } = s3ItemsOf(document, source);
    const extra: unknown[] = [];
    for (const at of buckets.values()) {
      if (blocks.has(key(at))) continue;
      const items = await accountBlockItems(configFor(at.region), at);
      if (items.length > 0) extra.push(plainDocument(items));
    }
    for (const at of blocks.values()) {
      const documents = await bucketDocuments(configFor(at.region), at);
      extra.push(...documents.map((document) => observedNoEarlierThan(document, at.capturedAt)));
    }
    return extra.length === 0 ? document : [...extra, document];
  };
}

const key = (at: AccountRegion) => `${at.account}|${at.region}`;

/** The (account, region) of the buckets and of the account blocks an event holds. */
function s3ItemsOf(document: unknown, source: string) {
  const buckets = new Map<string, AccountRegion>();
  const blocks = new Map<string, BlockChange>();
  for (const record of unwrapAws(document, source)) {
    let item;
    try {
      ({ item } = itemOf(record.value, record.source));
    } catch {
      continue; // unreadable or oversized: judging the event reports it
    }
    const type = nonEmptyString(own(item, 'resourceType'));
    // An account that is none throws NormalizeError: the event is poison.
    const account = envelopeAccount(item, record.source);
    const region = nonEmptyString(own(item, 'awsRegion'));
    if (account === null || region === null) continue;
    if (type === S3_BUCKET) buckets.set(key({ account, region }), { account, region });
    if (type === ACCOUNT_PUBLIC_ACCESS_BLOCK) {
      const capturedAt = captureTimeToRfc3339(own(item, 'configurationItemCaptureTime'));
      const seen = blocks.get(key({ account, region }))?.capturedAt ?? null;
      blocks.set(key({ account, region }), {
        account,
        region,
        capturedAt: later(seen, capturedAt),
      });
    }
  }
  return { buckets, blocks };
}

async function accountBlockItems(
  client: ConfigServiceClient,
  at: AccountRegion,
): Promise<BaseConfigurationItem[]> {
  const source = accountSource(client);
  const keys = await source.accountBlockKeys({ accountId: at.account, awsRegion: at.region });
  return batchGetAll(keys, source.batchGet, source.describeKey);
}

/** Every bucket Config records in the region, as BatchGetResourceConfig documents. */
async function bucketDocuments(
  client: ConfigServiceClient,
  at: AccountRegion,
): Promise<BatchGetDocument[]> {
  const source = accountSource(client);
  // The event's own block is the one to judge with: never fetch the recorded one.
  const blocks: AccountBlockCache = new Map([[at.account, []]]);
  const documents: BatchGetDocument[] = [];
  let nextToken: string | undefined;
  do {
    const page = await source.list(S3_BUCKET, PAGE_SIZE, nextToken);
    const document = await readPageDocument(page.keys, source, blocks);
    if (document) documents.push(document);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return documents;
}

/**
 * The re-judged buckets of an account block change, observed when the block
 * was captured if that is later than their own capture: the pipeline drops an
 * observation older than the one a finding last saw (reconcileResource's
 * staleness guard compares observedAt per resource). A bucket keeping its own
 * capture time would look equally fresh under every block event, so an older
 * block event delivered late (a retry, an out-of-order SQS delivery:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues.html)
 * would override the newer one's verdict.
 */
function observedNoEarlierThan(document: BatchGetDocument, capturedAt: string | null) {
  if (capturedAt === null) return document;
  return {
    baseConfigurationItems: document.baseConfigurationItems.map((item): JsonValue => {
      if (!isRecord(item) || item['resourceType'] !== S3_BUCKET) return item;
      const bucketTime = captureTimeToRfc3339(item['configurationItemCaptureTime']);
      return { ...item, configurationItemCaptureTime: later(bucketTime, capturedAt) };
    }),
  };
}

/** The later of two RFC 3339 UTC times (same format: text order is time order); null: unknown. */
function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

function plainDocument(items: readonly BaseConfigurationItem[]) {
  return {
    baseConfigurationItems: items.map((item, index) =>
      toPlainJson(item, `baseConfigurationItems[${index}]`),
    ),
  };
}
