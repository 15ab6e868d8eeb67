import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { parseResetsAfter, quotaResetsAfterMs } from '../../src/arm/quota-policy.js';
import {
  driftRetryStrategy,
  isRetryableStatus,
  retryAfterMs,
} from '../../src/arm/retry-strategy.js';
import { RestError } from './fake-arm.js';

function response(status: number, headers: Record<string, string> = {}): PipelineResponse {
  return {
    request: createPipelineRequest({ url: 'https://management.example.test/x' }),
    status,
    headers: createHttpHeaders(headers),
  };
}

describe('retryAfterMs', () => {
  it('reads milliseconds, seconds and an HTTP date', () => {
    expect(retryAfterMs(response(429, { 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(response(429, { 'x-ms-retry-after-ms': '40' }))).toBe(40);
    expect(retryAfterMs(response(429, { 'retry-after': '3' }))).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(
      retryAfterMs(response(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now),
    ).toBe(5000);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs(response(429))).toBeUndefined();
    expect(retryAfterMs(response(429, { 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it('retries 408, 429 and server errors but 501 and 505', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409, 501, 505].some(isRetryableStatus)).toBe(false);
  });
});

describe('driftRetryStrategy', () => {
  const strategy = driftRetryStrategy({ baseMs: 100, capMs: 1000, random: () => 0.5 });

  it('backs off with the shared full jitter: half the doubled bound here', () => {
    expect(strategy.retry({ retryCount: 0, response: response(503) })).toEqual({
      retryAfterInMs: 50,
    });
    expect(strategy.retry({ retryCount: 2, response: response(503) })).toEqual({
      retryAfterInMs: 200,
    });
  });

  it('waits at least what Retry-After or a used-up Resource Graph quota asks, never past the cap', () => {
    expect(
      strategy.retry({ retryCount: 0, response: response(429, { 'retry-after': '0.7' }) }),
    ).toEqual({
      retryAfterInMs: 700,
    });
    const quota = {
      'x-ms-user-quota-remaining': '0',
      'x-ms-user-quota-resets-after': '00:00:00.6',
    };
    expect(strategy.retry({ retryCount: 0, response: response(429, quota) })).toEqual({
      retryAfterInMs: 600,
    });
    expect(
      strategy.retry({ retryCount: 0, response: response(429, { 'retry-after': '60' }) }),
    ).toEqual({
      retryAfterInMs: 1000,
    });
  });

  it('retries network failures and leaves everything else alone', () => {
    const reset = new RestError('socket hang up', { code: 'ECONNRESET' });
    expect(strategy.retry({ retryCount: 0, responseError: reset })).toEqual({ retryAfterInMs: 50 });
    const other = new RestError('odd', { code: 'SOMETHING_ELSE' });
    expect(strategy.retry({ retryCount: 0, responseError: other })).toEqual({ skipStrategy: true });
    expect(strategy.retry({ retryCount: 0, response: response(404) })).toEqual({
      skipStrategy: true,
    });
  });
});

describe('Resource Graph quota headers', () => {
  it('reads hh:mm:ss', () => {
    expect(parseResetsAfter('00:00:03')).toBe(3000);
    expect(parseResetsAfter('01:02:03')).toBe(3_723_000);
    expect(parseResetsAfter('00:00:00.5')).toBe(500);
    expect(parseResetsAfter('3s')).toBeNull();
    expect(parseResetsAfter(undefined)).toBeNull();
  });

  it('says how long to wait only when nothing remains', () => {
    const spent = { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:04' };
    expect(quotaResetsAfterMs(response(200, spent))).toBe(4000);
    expect(
      quotaResetsAfterMs(response(200, { ...spent, 'x-ms-user-quota-remaining': '3' })),
    ).toBeUndefined();
    expect(quotaResetsAfterMs(response(200))).toBeUndefined();
  });
});
