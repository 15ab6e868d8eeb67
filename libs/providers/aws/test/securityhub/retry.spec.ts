import {
  InternalException,
  InvalidInputException,
  LimitExceededException,
  SecurityHubServiceException,
  ThrottlingException,
} from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isTransientError, withRetry } from '../../src/securityhub/retry.js';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const limitExceeded = () => new LimitExceededException({ message: 'Rate exceeded', ...meta(429) });

function serviceError(name: string, httpStatusCode: number, fault: 'client' | 'server') {
  return new SecurityHubServiceException({
    name,
    $fault: fault,
    message: name,
    ...meta(httpStatusCode),
  });
}

describe('isTransientError', () => {
  it.each([
    ['LimitExceededException (429)', limitExceeded()],
    ['ThrottlingException', new ThrottlingException({ message: 'slow down', ...meta(400) })],
    ['TooManyRequestsException', serviceError('TooManyRequestsException', 400, 'client')],
    ['any HTTP 429', serviceError('SomethingElse', 429, 'client')],
    ['InternalException (500)', new InternalException({ message: 'boom', ...meta(500) })],
    ['any 5xx', serviceError('ServiceUnavailable', 503, 'server')],
  ])('retries %s', (_, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['InvalidInputException', new InvalidInputException({ message: 'bad', ...meta(400) })],
    ['AccessDeniedException', serviceError('AccessDeniedException', 403, 'client')],
    ['a 404', serviceError('NotFound', 404, 'client')],
    ['a plain Error', new Error('no metadata')],
    ['a string', 'oops'],
  ])('does not retry %s', (_, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  const base = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('waits a uniform share of an exponentially growing ceiling (full jitter)', () => {
    const half = { ...base, random: () => 0.5 };
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, half))).toEqual([50, 100, 200, 400]);
    expect(backoffDelayMs(3, { ...base, random: () => 0 })).toBe(0);
    expect(backoffDelayMs(3, { ...base, random: () => 0.999 })).toBe(399);
  });

  it('never waits past the cap', () => {
    const almostOne = { ...base, random: () => 0.999 };
    expect(backoffDelayMs(20, almostOne)).toBe(999);
  });
});

describe('withRetry', () => {
  const options = (sleeps: number[], maxAttempts = 5) => ({
    baseDelayMs: 200,
    maxDelayMs: 20_000,
    random: () => 0.5,
    maxAttempts,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  });

  it('retries throttling with backoff until the request goes through', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      if (calls <= 2) throw limitExceeded();
      return 'imported';
    }, options(sleeps));
    expect(result).toBe('imported');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after maxAttempts tries with the last error', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const attempt = withRetry(
      async () => {
        calls++;
        throw new InternalException({ message: `failure ${calls}`, ...meta(500) });
      },
      options(sleeps, 4),
    );
    await expect(attempt).rejects.toThrow('failure 4');
    expect(calls).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('does not retry an error that will not pass', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const attempt = withRetry(async () => {
      calls++;
      throw new InvalidInputException({ message: 'bad finding', ...meta(400) });
    }, options(sleeps));
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputException);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });
});
