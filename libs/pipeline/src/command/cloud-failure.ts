import { UsageError } from './exit.js';
import { printable } from './printable.js';

/**
 * A failure of the world around an adapter (settings, credentials, a cloud's
 * answers), as opposed to a bug: UsageErrors pass through to their own
 * handling, and a TypeError or the like keeps its stack.
 */
export function isEnvironmentFailure(error: unknown): error is Error {
  if (!(error instanceof Error) || error instanceof UsageError) return false;
  return !(
    error instanceof TypeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    error instanceof RangeError
  );
}

/**
 * The one line a command prints for such a failure: what failed and what the
 * cloud answered (no region, no credentials, access denied, an endpoint down
 * past its retries), never a stack trace.
 */
export function cloudFailureLine(command: string, error: Error): string {
  const cause =
    error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message})` : '';
  // A cloud SDK's message may go on over several lines (hints, indented
  // details): joined with spaces, so the failure stays one line.
  const text = `${error.name}: ${error.message}${cause}`.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return `drift-detective: ${command} failed: ${printable(text)}\n`;
}
