import { fullJitterDelayMs } from '@drift-detective/pipeline';
import type { Sleep } from './rate-limiter.js';

/**
 * Error names that mean "slow down": Security Hub answers LimitExceededException
 * (HTTP 429) when a request is throttled
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/CommonErrors.html,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html#API_BatchImportFindings_Errors);
 * the others are the names AWS services use for the same thing.
 */
export const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'LimitExceededException',
  'Throttling',
  'RequestLimitExceeded',
]);

interface AwsErrorShape {
  readonly name?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number | undefined } | undefined;
}

export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as AwsErrorShape).$metadata?.httpStatusCode;
}

/** Throttling (by name or HTTP 429) and server-side (5xx) errors: the request may succeed later. */
export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as AwsErrorShape).name;
  if (typeof name === 'string' && THROTTLING_ERRORS.has(name)) return true;
  const status = httpStatusOf(error);
  return status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

export const DEFAULT_BACKOFF = { baseDelayMs: 200, maxDelayMs: 20_000 } as const;

/**
 * Exponential backoff with full jitter: a uniform wait in
 * [0, min(cap, base·2^(retry−1))), so throttled clients spread out instead of
 * retrying in step
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 * `retry` counts from 1.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions): number {
  return fullJitterDelayMs(retry, {
    baseMs: options.baseDelayMs,
    capMs: options.maxDelayMs,
    random: options.random,
  });
}

export interface RetryOptions extends BackoffOptions {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  readonly sleep: Sleep;
  readonly isRetryable?: (error: unknown) => boolean;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs operation until it succeeds, a non-retryable error is thrown, or
 * maxAttempts tries have failed (then the last error is thrown).
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const retryable = options.isRetryable ?? isTransientError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= options.maxAttempts || !retryable(error)) throw error;
      const delay = backoffDelayMs(attempt, options);
      options.onRetry?.(error, attempt, delay);
      await options.sleep(delay);
    }
  }
}
