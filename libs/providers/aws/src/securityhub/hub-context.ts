import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SendOptions } from '../sdk/abort.js';
import type { Sleep } from './rate-limiter.js';
import { errorFields } from './errors.js';
import { backoffDelayMs, type BackoffOptions } from './retry.js';

/** Everything a batch loop needs to talk to one account's hub in one region. */
export interface HubContext {
  readonly client: SecurityHubClient;
  readonly account: string;
  readonly region: string;
  /**
   * Sends one request: waits for a rate-limiter token before each try and
   * retries throttling and 5xx errors; throws once the tries are used up.
   */
  call<T>(send: () => Promise<T>): Promise<T>;
  /** Rounds for findings the hub answered "try again later" for, the first included. */
  readonly maxAttempts: number;
  readonly backoff: BackoffOptions;
  readonly sleep: Sleep;
  /** Passed to each request: aborting cuts the one in flight, and no retry follows. */
  readonly sendOptions?: SendOptions | undefined;
}

/** A finding the hub did not take, with the code and message it gave. */
export interface Rejected<T> {
  readonly item: T;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** What one answer says about the items sent in its request. */
export interface AnswerOutcome<T> {
  readonly accepted: T[];
  /** Rejected for a reason that may pass later (throttling, internal errors): send again. */
  readonly retry: Rejected<T>[];
  readonly failed: Rejected<T>[];
}

/**
 * Sends items in batches, round after round: what an answer names "try again
 * later" is sent again after a backoff, up to maxAttempts rounds; a request
 * that fails after its own retries fails its whole batch. Errors `passThrough`
 * accepts are thrown instead (a capability the endpoint lacks).
 */
export async function sendInRounds<T>(
  hub: HubContext,
  items: readonly T[],
  split: (pending: readonly T[]) => T[][],
  send: (batch: T[]) => Promise<AnswerOutcome<T>>,
  passThrough: (error: unknown) => boolean = () => false,
): Promise<{ accepted: T[]; failed: Rejected<T>[] }> {
  const accepted: T[] = [];
  const failed: Rejected<T>[] = [];
  let pending = items;
  for (let round = 1; pending.length > 0; round++) {
    const retry: Rejected<T>[] = [];
    for (const batch of split(pending)) {
      let outcome: AnswerOutcome<T>;
      try {
        outcome = await send(batch);
      } catch (error) {
        if (passThrough(error)) throw error;
        const fields = errorFields(error);
        failed.push(...batch.map((item) => ({ item, ...fields })));
        continue;
      }
      accepted.push(...outcome.accepted);
      failed.push(...outcome.failed);
      retry.push(...outcome.retry);
    }
    if (retry.length === 0) break;
    if (round >= hub.maxAttempts) {
      failed.push(...retry);
      break;
    }
    await hub.sleep(backoffDelayMs(round, hub.backoff));
    pending = retry.map((r) => r.item);
  }
  return { accepted, failed };
}
