import { fullJitterDelayMs } from '@drift-detective/pipeline';

export { describeError as errorText, sleep } from '@drift-detective/pipeline';

/** Exponential backoff with full jitter; `attempt` counts from 0 here. */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  return fullJitterDelayMs(attempt + 1, { baseMs, capMs });
}
