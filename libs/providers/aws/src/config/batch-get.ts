import { fullJitterDelayMs, sleep } from '@drift-detective/pipeline';
import type { BaseConfigurationItem } from '@aws-sdk/client-config-service';

/**
 * Most keys one BatchGetResourceConfig / BatchGetAggregateResourceConfig call takes
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_BatchGetResourceConfig.html,
 * https://docs.aws.amazon.com/config/latest/APIReference/API_BatchGetAggregateResourceConfig.html:
 * "Maximum number of 100 items").
 */
export const MAX_BATCH_KEYS = 100;

export const DEFAULT_BATCH_ATTEMPTS = 5;
export const DEFAULT_BATCH_BACKOFF_BASE_MS = 200;
export const DEFAULT_BATCH_BACKOFF_CAP_MS = 10_000;

/** One batch-get answer: the items, and the keys the service left for a later call. */
export interface BatchAnswer<K> {
  readonly items: readonly BaseConfigurationItem[];
  readonly unprocessed: readonly K[];
}

/** One BatchGet call for at most MAX_BATCH_KEYS keys. */
export type BatchGet<K> = (keys: readonly K[]) => Promise<BatchAnswer<K>>;

export interface BatchRetryInfo {
  /** The attempt that left keys unprocessed (1 for the first call). */
  readonly attempt: number;
  /** How long the next attempt waits. */
  readonly delayMs: number;
  /** The keys the next attempt asks for again. */
  readonly keys: readonly string[];
}

export interface BatchRetryOptions {
  /** Calls per chunk of keys, the first included (default 5). */
  readonly maxAttempts?: number | undefined;
  readonly backoffBaseMs?: number | undefined;
  readonly backoffCapMs?: number | undefined;
  /** In [0, 1): the jitter source (default Math.random). */
  readonly random?: (() => number) | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  readonly onRetry?: ((info: BatchRetryInfo) => void) | undefined;
}

/** Keys the service still left unprocessed after the last attempt. */
export class UnprocessedKeysError extends Error {
  override readonly name = 'UnprocessedKeysError';
  constructor(
    readonly keys: readonly string[],
    readonly attempts: number,
  ) {
    super(
      `AWS Config left ${keys.length} resource key(s) unprocessed after ${attempts} attempt(s): ${keys.join(', ')}`,
    );
  }
}

/**
 * Fetches the configuration items of every key: chunks of MAX_BATCH_KEYS, and
 * the keys an answer lists as unprocessed (unprocessedResourceKeys /
 * UnprocessedResourceIdentifiers: "not processed with the current request",
 * the API docs above) asked again after an exponential backoff with full
 * jitter. Keys still unprocessed after the last attempt throw
 * UnprocessedKeysError naming them: dropping them would make the resources
 * look deleted to a sweep. Keys the answer neither returns nor lists are
 * deleted resources ("The API does not return results for deleted resources").
 */
export async function batchGetAll<K>(
  keys: readonly K[],
  batchGet: BatchGet<K>,
  describeKey: (key: K) => string,
  options: BatchRetryOptions = {},
): Promise<BaseConfigurationItem[]> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_BATCH_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  const items: BaseConfigurationItem[] = [];
  for (let start = 0; start < keys.length; start += MAX_BATCH_KEYS) {
    let pending = keys.slice(start, start + MAX_BATCH_KEYS);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const answer = await batchGet(pending);
      items.push(...answer.items);
      pending = [...answer.unprocessed];
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) throw new UnprocessedKeysError(pending.map(describeKey), attempt);
      const delayMs = backoffDelayMs(attempt, options);
      options.onRetry?.({ attempt, delayMs, keys: pending.map(describeKey) });
      await (options.sleep ?? sleep)(delayMs);
    }
  }
  return items;
}

/** Full jitter: uniform below min(cap, base · 2^(attempt − 1)). */
export function backoffDelayMs(attempt: number, options: BatchRetryOptions = {}): number {
  return fullJitterDelayMs(attempt, {
    baseMs: options.backoffBaseMs ?? DEFAULT_BATCH_BACKOFF_BASE_MS,
    capMs: options.backoffCapMs ?? DEFAULT_BATCH_BACKOFF_CAP_MS,
    random: options.random,
  });
}
