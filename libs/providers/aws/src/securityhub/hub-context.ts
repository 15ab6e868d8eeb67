import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Sleep } from './rate-limiter.js';
import type { BackoffOptions } from './retry.js';

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
