/** Bounds of an exponential backoff. */
export interface BackoffBounds {
  /** The first delay's bound in ms; doubles per attempt. */
  readonly baseMs: number;
  /** The largest bound in ms. */
  readonly capMs: number;
  /** In [0, 1): the jitter source (default Math.random). */
  readonly random?: (() => number) | undefined;
}

/**
 * Exponential backoff with full jitter: a delay drawn uniformly below
 * min(cap, base · 2^(attempt − 1)), so many clients retrying after one
 * failure spread out instead of arriving together
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * `attempt` counts from 1.
 */
export function fullJitterDelayMs(attempt: number, bounds: BackoffBounds): number {
  const bound = Math.min(bounds.capMs, bounds.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor((bounds.random ?? Math.random)() * bound);
}

/** Resolves after ms, or at once when the signal aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
