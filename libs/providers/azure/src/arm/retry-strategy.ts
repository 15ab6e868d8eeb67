import type { PipelineResponse, RetryStrategy } from '@azure/core-rest-pipeline';
import {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_CAP_MS,
  fullJitterDelayMs,
  type BackoffBounds,
} from '@drift-detective/pipeline';
import { quotaResetsAfterMs } from './quota-policy.js';

/** How an Azure call is retried. */
export interface RetrySettings {
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number | undefined;
  /** The first backoff bound in ms (default the pipeline's DEFAULT_BACKOFF_BASE_MS). */
  readonly baseMs?: number | undefined;
  /** The largest wait in ms, Retry-After included (default DEFAULT_BACKOFF_CAP_MS). */
  readonly capMs?: number | undefined;
  /** In [0, 1): the jitter source (default Math.random). */
  readonly random?: (() => number) | undefined;
  /** Told before each retry, for logs. */
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
}

export interface RetryInfo {
  readonly url: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** 1 for the first retry. */
  readonly retry: number;
  readonly delayMs: number;
}

export const DEFAULT_MAX_RETRIES = 4;

/**
 * Errors of the transport that may pass on another attempt: the codes
 * core-rest-pipeline retries itself (its exponentialRetryStrategy's
 * isSystemError), plus a DNS lookup that timed out (EAI_AGAIN) and a
 * connection dropped under the request (EPIPE).
 */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Statuses worth another attempt: 408, throttling (429) and server errors,
 * except 501 and 505, which no retry changes — the statuses core-rest-pipeline
 * retries itself (isExponentialRetryResponse in
 * https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/core/ts-http-runtime/src/retryStrategies/exponentialRetryStrategy.ts),
 * plus 429 without a Retry-After, which its throttling strategy lets through.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * What the service asked to wait, in ms: `retry-after-ms` / `x-ms-retry-after-ms`
 * (milliseconds) or `Retry-After` (seconds or an HTTP date). ARM answers a
 * throttled request with 429 and a Retry-After
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling);
 * the header names are the ones core-rest-pipeline reads
 * (https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/core/ts-http-runtime/src/retryStrategies/throttlingRetryStrategy.ts).
 * undefined when none is readable.
 */
export function retryAfterMs(response: PipelineResponse, now = Date.now()): number | undefined {
  for (const header of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(response.headers.get(header));
    if (response.headers.has(header) && Number.isFinite(value) && value >= 0) return value;
  }
  const text = response.headers.get('retry-after');
  if (text === undefined || text.trim() === '') return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** The retry strategy's bounds: the pipeline's shared ones unless set. */
export function backoffBounds(settings: RetrySettings = {}): Required<BackoffBounds> {
  return {
    baseMs: settings.baseMs ?? DEFAULT_BACKOFF_BASE_MS,
    capMs: settings.capMs ?? DEFAULT_BACKOFF_CAP_MS,
    random: settings.random ?? Math.random,
  };
}

/**
 * Retries throttling, server errors and network failures with the shared
 * full-jitter backoff (libs/pipeline fullJitterDelayMs), waiting at least as
 * long as the service asked (Retry-After, or Resource Graph's quota reset on
 * a 429), and never longer than the cap. Anything else is left to the
 * caller. The retry policy gives up after maxRetries and hands back the
 * last answer or error.
 */
export function driftRetryStrategy(settings: RetrySettings = {}): RetryStrategy {
  const bounds = backoffBounds(settings);
  return {
    name: 'driftRetryStrategy',
    retry({ retryCount, response, responseError }) {
      const status = response?.status;
      const code = responseError?.code;
      const retryable =
        status !== undefined ? isRetryableStatus(status) : NETWORK_CODES.has(code ?? '');
      if (!retryable) return { skipStrategy: true };
      const asked = response
        ? Math.max(
            retryAfterMs(response) ?? 0,
            status === 429 ? (quotaResetsAfterMs(response) ?? 0) : 0,
          )
        : 0;
      const delayMs = Math.min(
        bounds.capMs,
        Math.max(asked, fullJitterDelayMs(retryCount + 1, bounds)),
      );
      settings.onRetry?.({
        url: (response?.request ?? responseError?.request)?.url ?? '',
        status,
        code,
        retry: retryCount + 1,
        delayMs,
      });
      return { retryAfterInMs: delayMs };
    },
  };
}
