import { AwsAnswerError } from './call-errors.js';

/**
 * The SDK hands an answer on as its JSON was, whatever its shape: a list
 * member may come as a string or an object from an endpoint that is not quite
 * AWS. What the adapter iterates is checked here, so such an answer fails as
 * the endpoint's fault, naming the call and the member, instead of as a
 * TypeError deep inside the adapter.
 */

/** A list member of an answer: its entries, [] when absent. */
export function answerList<T>(
  value: readonly T[] | undefined,
  operation: string,
  member: string,
): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AwsAnswerError(operation, `${member} that is not a list`);
  return [...(value as T[])];
}

/** A pagination token of an answer: a non-empty string, else none. */
export function answerToken(
  value: string | undefined,
  operation: string,
  member: string,
): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new AwsAnswerError(operation, `${member} that is not a string`);
  }
  return value;
}
