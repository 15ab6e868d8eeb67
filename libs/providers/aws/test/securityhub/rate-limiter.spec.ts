import { describe, expect, it } from 'vitest';
import { KeyedRateLimiter, TokenBucket } from '../../src/securityhub/rate-limiter.js';

/** A clock that only moves when someone sleeps, and a record of the sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    sleeps,
  };
}

describe('TokenBucket', () => {
  it('lets a burst of its capacity through, then one request per 1/rate seconds', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, now: time.now, sleep: time.sleep });
    const startedAt: number[] = [];
    for (let i = 0; i < 25; i++) {
      await bucket.take();
      startedAt.push(time.now());
    }
    expect(startedAt.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(startedAt.slice(10)).toEqual(Array.from({ length: 15 }, (_, i) => (i + 1) * 100));
    // Never more than capacity + rate·t requests in any window of t seconds.
    for (let i = 0; i < startedAt.length; i++) {
      const inSecond = startedAt.filter((t) => t >= startedAt[i]! && t < startedAt[i]! + 1000);
      expect(inSecond.length).toBeLessThanOrEqual(20);
    }
  });

  it('refills while idle, up to its capacity only', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({
      ratePerSecond: 10,
      capacity: 5,
      now: time.now,
      sleep: time.sleep,
    });
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(time.sleeps).toEqual([]);
    time.advance(60_000); // a minute idle: still only 5 tokens
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(time.sleeps).toEqual([]);
    await bucket.take();
    expect(time.sleeps).toEqual([100]);
  });

  it('spaces concurrent callers one interval apart', async () => {
    // All three arrive at the same instant: the clock does not move while they queue.
    const sleeps: number[] = [];
    const bucket = new TokenBucket({
      ratePerSecond: 4,
      capacity: 1,
      now: () => 0,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(sleeps).toEqual([250, 500]);
  });

  it('refuses a rate of zero', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(/ratePerSecond/);
  });
});

describe('KeyedRateLimiter', () => {
  it('keeps one bucket per account and region', async () => {
    const time = fakeTime();
    const limiter = new KeyedRateLimiter({
      ratePerSecond: 10,
      capacity: 1,
      now: time.now,
      sleep: time.sleep,
    });
    await limiter.take('111111111111/us-east-1');
    await limiter.take('111111111111/eu-west-1');
    await limiter.take('222222222222/us-east-1');
    expect(time.sleeps).toEqual([]);
    await limiter.take('111111111111/us-east-1');
    expect(time.sleeps).toEqual([100]);
  });
});
