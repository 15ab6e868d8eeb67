import { isRestError } from '@azure/core-rest-pipeline';

/**
 * Azure calls that failed, as one-line errors naming the operation and the
 * problem. The SDKs throw a RestError whose message is the service's own
 * (often several lines, without the operation), and @azure/identity throws
 * multi-line credential errors; a command prints these through the
 * pipeline's cloudFailureLine, so here they get a name and the operation
 * that failed. The HTTP status stays readable for callers that sort
 * failures (404 gone, 400/403 refused for good).
 */

/** The longest detail kept from a service message. */
const MAX_DETAIL = 400;

function oneLine(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

/** The service answered with an error status (after retries, when it was worth one). */
export class AzureCallError extends Error {
  override readonly name = 'AzureCallError';

  constructor(
    readonly operation: string,
    readonly statusCode: number | undefined,
    /** The ARM error code (`error.code` of the answer) or the transport's error code. */
    readonly code: string | undefined,
    detail: string,
  ) {
    const status = statusCode === undefined ? 'no answer' : `HTTP ${statusCode}`;
    super(`${operation} failed: ${status}${code ? ` ${code}` : ''}: ${oneLine(detail)}`);
  }
}

/** No complete answer within the request or connect timeout, on every attempt. */
export class AzureTimeoutError extends Error {
  override readonly name = 'AzureTimeoutError';
  readonly statusCode = undefined;

  constructor(
    readonly operation: string,
    detail: string,
  ) {
    super(`${operation} got no answer in time: ${oneLine(detail)}`);
  }
}

/** No access token: the credential chain found no credential, or the token request failed. */
export class AzureCredentialError extends Error {
  override readonly name = 'AzureCredentialError';
  readonly statusCode = undefined;

  constructor(
    readonly operation: string,
    detail: string,
  ) {
    super(`${operation} got no Azure access token: ${oneLine(detail)}`);
  }
}

/** An answer this library cannot read (not JSON, or JSON of another shape). */
export class AzureAnswerError extends Error {
  override readonly name = 'AzureAnswerError';

  constructor(
    readonly operation: string,
    readonly statusCode: number | undefined,
    detail: string,
  ) {
    super(
      `${operation} answered${statusCode === undefined ? '' : ` HTTP ${statusCode}`} ${oneLine(detail)}`,
    );
  }
}

/**
 * Errors @azure/identity throws when no token can be had
 * (https://learn.microsoft.com/javascript/api/@azure/identity/#classes).
 */
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

/** The HTTP status of any error these modules or the SDKs throw, when it has one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Whether an error is an abort (the caller's signal), which is passed on as it is. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The error a failed call throws: one of the above, or the error itself when it is none of them (an abort, a bug). */
export function namedCallError(operation: string, error: unknown): unknown {
  if (!(error instanceof Error) || isAbort(error)) return error;
  if (
    error instanceof AzureCallError ||
    error instanceof AzureTimeoutError ||
    error instanceof AzureCredentialError ||
    error instanceof AzureAnswerError
  ) {
    return error;
  }
  if (CREDENTIAL_ERRORS.has(error.name)) return new AzureCredentialError(operation, error.message);
  if (!isRestError(error)) return error;
  if (error.statusCode === undefined) {
    if (error.code === 'ETIMEDOUT' || error.code === 'ESOCKETTIMEDOUT') {
      return new AzureTimeoutError(operation, error.message);
    }
    if (error.code === 'PARSE_ERROR')
      return new AzureAnswerError(operation, undefined, error.message);
    return new AzureCallError(operation, undefined, error.code, error.message);
  }
  if (error.code === 'PARSE_ERROR') {
    return new AzureAnswerError(
      operation,
      error.statusCode,
      `a body that is not JSON: ${error.message}`,
    );
  }
  return new AzureCallError(operation, error.statusCode, error.code, error.message);
}

/** Runs one Azure call; its failure is thrown as namedCallError says. */
export async function callAzure<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw namedCallError(operation, error);
  }
}
