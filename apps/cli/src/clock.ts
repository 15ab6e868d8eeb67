import { UsageError } from './usage.js';

/**
 * The current time: DRIFT_NOW (RFC 3339) when set, so waiver expiry and
 * refresh ages can be checked at a chosen moment; the system clock otherwise.
 */
export function now(env: NodeJS.ProcessEnv = process.env): Date {
  const fixed = env['DRIFT_NOW'];
  if (fixed === undefined || fixed === '') return new Date();
  const parsed = new Date(fixed);
  if (Number.isNaN(parsed.getTime()))
    throw new UsageError(`DRIFT_NOW is not a date-time: '${fixed}'`);
  return parsed;
}
