import { cloudFailureLine, isEnvironmentFailure } from '@drift-detective/pipeline';
import { describe, expect, it } from 'vitest';
import {
  AzureAnswerError,
  AzureCallError,
  AzureCredentialError,
  AzureTimeoutError,
  callAzure,
  namedCallError,
} from '../../src/arm/call-errors.js';
import { RestError } from './fake-arm.js';

const OP = 'Resource Graph query (resources)';

describe('namedCallError', () => {
  it('names the operation, the status and the ARM code, on one line', () => {
    const rest = new RestError('The client does not have authorization\nto perform action.', {
      statusCode: 403,
      code: 'AuthorizationFailed',
    });
    const named = namedCallError(OP, rest);
    expect(named).toBeInstanceOf(AzureCallError);
    expect((named as Error).message).toBe(
      'Resource Graph query (resources) failed: HTTP 403 AuthorizationFailed: The client does not have authorization to perform action.',
    );
    expect(named).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });

  it('tells timeouts, unreachable hosts and unreadable answers apart', () => {
    const timeout = namedCallError(
      OP,
      new RestError('no complete answer within 5 ms', { code: 'ETIMEDOUT' }),
    );
    expect(timeout).toBeInstanceOf(AzureTimeoutError);
    const refused = namedCallError(
      OP,
      new RestError('connect ECONNREFUSED', { code: 'ECONNREFUSED' }),
    );
    expect((refused as Error).message).toBe(
      'Resource Graph query (resources) failed: no answer ECONNREFUSED: connect ECONNREFUSED',
    );
    const parse = namedCallError(
      OP,
      new RestError('Unexpected token <', { code: 'PARSE_ERROR', statusCode: 200 }),
    );
    expect(parse).toBeInstanceOf(AzureAnswerError);
  });

  it('names credential failures and keeps their first lines only', () => {
    const error = new Error(
      'DefaultAzureCredential failed to retrieve a token.\n- EnvironmentCredential is unavailable.',
    );
    error.name = 'AggregateAuthenticationError';
    const named = namedCallError(OP, error);
    expect(named).toBeInstanceOf(AzureCredentialError);
    expect((named as Error).message).not.toMatch(/\n/);
  });

  it('passes aborts and bugs through untouched', async () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(namedCallError(OP, abort)).toBe(abort);
    const bug = new TypeError('x is undefined');
    expect(namedCallError(OP, bug)).toBe(bug);
    await expect(callAzure(OP, () => Promise.reject(bug))).rejects.toBe(bug);
  });
});

describe('with the pipeline command line', () => {
  it('every Azure failure is an environment failure printed on one line', () => {
    const failures = [
      namedCallError(
        OP,
        new RestError('denied\nfor real', { statusCode: 403, code: 'AuthorizationFailed' }),
      ),
      namedCallError(OP, new RestError('slow', { code: 'ETIMEDOUT' })),
      namedCallError(
        OP,
        Object.assign(new Error('no token\n- env\n- msi'), { name: 'CredentialUnavailableError' }),
      ),
      new RestError('raw SDK error\nsecond line', { statusCode: 500 }),
    ];
    for (const failure of failures) {
      expect(isEnvironmentFailure(failure)).toBe(true);
      const line = cloudFailureLine('azure sweep', failure as Error);
      expect(line.trimEnd()).not.toMatch(/\n/);
    }
    expect(cloudFailureLine('azure sweep', failures[0] as Error)).toBe(
      'drift-detective: azure sweep failed: AzureCallError: Resource Graph query (resources) failed: HTTP 403 AuthorizationFailed: denied for real\n',
    );
  });
});
