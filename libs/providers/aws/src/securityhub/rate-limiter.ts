import { sleep } from '@drift-detective/pipeline';

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => sleep(ms);

export interface TokenBucketOptions {
  /** Tokens added per second: the sustained request rate. */
  readonly ratePerSecond: number;
  /** Most tokens held at once: the burst. Defaults to one second's worth. */
  readonly capacity?: number;
  /** Milliseconds on a monotonic clock. */
  readonly now?: () => number;
  readonly sleep?: Sleep;
}

/**
 * A token bucket. take() spends a token, waiting for it when there is none.
 * Callers reserve a token before they wait (the count may go below zero), so
 * concurrent callers queue up one refill interval apart instead of all waking
 * at once and retrying.
 */
export class TokenBucket {
  private readonly rate: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private tokens: number;
  private updatedAt: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new Error('ratePerSecond must be above 0');
    this.rate = options.ratePerSecond;
    this.capacity = Math.max(1, options.capacity ?? options.ratePerSecond);
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
    this.tokens = this.capacity;
    this.updatedAt = this.now();
  }

  async take(): Promise<void> {
    const now = this.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((now - this.updatedAt) / 1000) * this.rate,
    );
    this.updatedAt = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.sleep(Math.ceil((-this.tokens / this.rate) * 1000));
  }
}

/** One token bucket per key (account and region: Security Hub throttles per account per Region). */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly options: TokenBucketOptions) {}

  take(key: string): Promise<void> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.options);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }
}
