/** Why a caller was not let in, one word each: what logs and metrics label by. */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'unknown_key'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_claims'
  | 'wrong_secret'
  /** The signing keys could not be fetched: nothing is known of the caller yet. */
  | 'keys_unavailable';

/**
 * A request that is not authenticated. The message is one line and never
 * holds the credential itself.
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';

  constructor(
    readonly reason: AuthFailureReason,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${reason}: ${detail.replace(/\s+/g, ' ').trim()}`, options);
  }

  /**
   * 401, except when the keys could not be fetched: then 503, so a genuine
   * sender retries instead of dropping its events (Event Grid does not retry
   * a 401: https://learn.microsoft.com/azure/event-grid/delivery-and-retry).
   */
  get status(): 401 | 503 {
    return this.reason === 'keys_unavailable' ? 503 : 401;
  }
}
