import type { BaseConfigurationItem } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  batchGetAll,
  MAX_BATCH_KEYS,
  UnprocessedKeysError,
  type BatchGet,
  type BatchRetryInfo,
} from '../../src/config/batch-get.js';

/**
 * A Config service that holds the resources named by ids and leaves the keys
 * of `stubborn` unprocessed for its first `refusals` answers: the seam
 * batchGetAll takes, fed by hand (moto never leaves keys unprocessed:
 * moto/config/models.py batch_get_resource_config).
 */
function service(ids: readonly string[], stubborn: Record<string, number> = {}) {
  const calls: string[][] = [];
  const refused = new Map<string, number>();
  const batchGet: BatchGet<string> = (keys) => {
    calls.push([...keys]);
    if (keys.length > MAX_BATCH_KEYS) throw new Error(`${keys.length} keys in one call`);
    const items: BaseConfigurationItem[] = [];
    const unprocessed: string[] = [];
    for (const key of keys) {
      const times = refused.get(key) ?? 0;
      if (times < (stubborn[key] ?? 0)) {
        refused.set(key, times + 1);
        unprocessed.push(key);
      } else if (ids.includes(key)) {
        items.push({ resourceType: 'AWS::S3::Bucket', resourceId: key });
      }
    }
    return Promise.resolve({ items, unprocessed });
  };
  return { batchGet, calls };
}

const noWait = { sleep: () => Promise.resolve(), random: () => 0.5 };
const idsOf = (items: BaseConfigurationItem[]) => items.map((item) => item.resourceId);

describe('batchGetAll', () => {
  it('asks at most 100 keys a call and returns every item', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `bucket-${i}`);
    const { batchGet, calls } = service(ids);
    const items = await batchGetAll(ids, batchGet, String, noWait);
    expect(idsOf(items)).toEqual(ids);
    expect(calls.map((keys) => keys.length)).toEqual([100, 100, 50]);
  });

  it('asks the unprocessed keys again, and only them, until they are processed', async () => {
    const { batchGet, calls } = service(['a', 'b', 'c'], { b: 2, c: 1 });
    const retries: BatchRetryInfo[] = [];
    const slept: number[] = [];
    const items = await batchGetAll(['a', 'b', 'c'], batchGet, (key) => `key ${key}`, {
      random: () => 0.5,
      backoffBaseMs: 100,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
      onRetry: (info) => retries.push(info),
    });
    expect(idsOf(items).sort()).toEqual(['a', 'b', 'c']);
    expect(calls).toEqual([['a', 'b', 'c'], ['b', 'c'], ['b']]);
    expect(retries).toEqual([
      { attempt: 1, delayMs: 50, keys: ['key b', 'key c'] },
      { attempt: 2, delayMs: 100, keys: ['key b'] },
    ]);
    expect(slept).toEqual([50, 100]);
  });

  it('throws naming the keys still unprocessed after the last attempt, never drops them', async () => {
    const { batchGet, calls } = service(['a', 'b'], { b: 99 });
    const error = await batchGetAll(['a', 'b'], batchGet, (key) => `AWS::S3::Bucket ${key}`, {
      ...noWait,
      maxAttempts: 3,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedKeysError);
    expect((error as UnprocessedKeysError).keys).toEqual(['AWS::S3::Bucket b']);
    expect((error as UnprocessedKeysError).attempts).toBe(3);
    expect((error as Error).message).toContain('AWS::S3::Bucket b');
    expect(calls).toHaveLength(3);
  });

  it('treats keys neither returned nor unprocessed as deleted resources', async () => {
    const { batchGet } = service(['a']);
    expect(idsOf(await batchGetAll(['a', 'deleted'], batchGet, String, noWait))).toEqual(['a']);
  });

  it('makes no call for no keys, and refuses a nonsensical attempt count', async () => {
    const { batchGet, calls } = service([]);
    expect(await batchGetAll([], batchGet, String, noWait)).toEqual([]);
    expect(calls).toEqual([]);
    await expect(batchGetAll(['a'], batchGet, String, { maxAttempts: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('backoffDelayMs', () => {
  it('draws below a bound that doubles per attempt up to the cap (full jitter)', () => {
    const options = { backoffBaseMs: 100, backoffCapMs: 1000 };
    const bound = (attempt: number) =>
      backoffDelayMs(attempt, { ...options, random: () => 0.9999 });
    expect([1, 2, 3, 4, 5, 6].map(bound)).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, { ...options, random: () => 0 })).toBe(0);
  });
});
