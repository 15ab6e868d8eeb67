// Resource Graph's per-user quota: a number of queries per time window
// (15 per 5 seconds by default), reported on every answer in
// x-ms-user-quota-remaining and x-ms-user-quota-resets-after (hh:mm:ss), and
// 429 once spent:
// https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests

export interface QuotaOptions {
  readonly requests: number;
  readonly windowMs: number;
}

export const DEFAULT_QUOTA: QuotaOptions = { requests: 15, windowMs: 5_000 };

export interface QuotaDecision {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
  /** Whole seconds until the window resets (for Retry-After). */
  readonly retryAfterSeconds: number;
}

/** A duration as hh:mm:ss, rounded up to the second. */
export function hhmmss(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

export class QuotaWindows {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly options: QuotaOptions = DEFAULT_QUOTA) {}

  /** Counts one query by `principal` (the identity the token names) and says whether it may run. */
  take(principal: string, now = Date.now()): QuotaDecision {
    let window = this.windows.get(principal);
    if (window === undefined || now >= window.start + this.options.windowMs) {
      window = { start: now, used: 0 };
      this.windows.set(principal, window);
    }
    const allowed = window.used < this.options.requests;
    if (allowed) window.used += 1;
    const resetsInMs = window.start + this.options.windowMs - now;
    return {
      allowed,
      retryAfterSeconds: Math.max(1, Math.ceil(resetsInMs / 1000)),
      headers: {
        'x-ms-user-quota-remaining': String(this.options.requests - window.used),
        'x-ms-user-quota-resets-after': hhmmss(resetsInMs),
      },
    };
  }
}
