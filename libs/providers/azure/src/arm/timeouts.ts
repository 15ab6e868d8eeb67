/** How long one Azure call may take, per attempt: a timed-out attempt is retried like a network error. */
export interface CallTimeouts {
  /** Until the TCP and TLS handshakes are done. */
  readonly connectTimeoutMs: number;
  /** Until the whole answer (headers and body) is in. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export const DEFAULT_TIMEOUTS: CallTimeouts = {
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
};

/** The timeouts given, each checked; the defaults for the ones left out. */
export function callTimeouts(given: Partial<CallTimeouts> = {}): CallTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...given };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`${name} must be a positive whole number of milliseconds, got ${value}`);
    }
  }
  return timeouts;
}
