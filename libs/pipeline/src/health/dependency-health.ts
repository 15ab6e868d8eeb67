/**
 * Whether a worker's dependencies answer, for /readyz. A worker whose queue
 * or hub has been failing for minutes is alive (its loops retry) but does no
 * work: an orchestrator or an alert must see that, not a constant "ready".
 *
 * Provider-neutral: an adapter reports each call to a named dependency
 * (`source`: receiving change events; `hub`: publishing findings) as a success
 * or a failure, and readiness follows from the record alone.
 */

/** What /readyz answers: ready, or not and why (one short line). */
export type Readiness =
  { readonly ready: true } | { readonly ready: false; readonly reason: string };

/**
 * How long a dependency fails, with no success in between, before the worker
 * is reported unready: 60 s. Longer than one retry cycle of the queue
 * receive (backoff capped at 30 s, plus the SDK's own retries) and than the
 * short blips a worker rides out unnoticed (throttling, a DNS hiccup, an
 * endpoint restarting), short enough that an outage shows within a minute.
 */
export const DEFAULT_UNREADY_AFTER_MS = 60_000;

/** One dependency's side of the record: what the adapter calls around each request. */
export interface DependencyProbe {
  succeeded(): void;
  failed(error: unknown): void;
  /** Records how `operation` ends and hands back its result or its error. */
  track<T>(operation: Promise<T>): Promise<T>;
}

interface Failing {
  /** When the current run of failures began (ms, the clock's). */
  readonly since: number;
  /** The latest failure: what the endpoint says now, not what it said first. */
  lastError: string;
}

/** Longest reason kept per dependency: /readyz answers in one line. */
const MAX_REASON_LENGTH = 200;

export class DependencyHealth {
  readonly unreadyAfterMs: number;
  private readonly clock: () => number;
  /** Failing dependencies only: one success removes its entry. */
  private readonly failing = new Map<string, Failing>();

  constructor(
    options: {
      /** Continuous failure that makes the worker unready (default DEFAULT_UNREADY_AFTER_MS). */
      readonly unreadyAfterMs?: number | undefined;
      /** Milliseconds now (default Date.now); tests pass a clock they move. */
      readonly clock?: (() => number) | undefined;
    } = {},
  ) {
    const after = options.unreadyAfterMs ?? DEFAULT_UNREADY_AFTER_MS;
    if (!Number.isFinite(after) || after < 0) {
      throw new RangeError(`unreadyAfterMs must be a duration of 0 or more, got ${after}`);
    }
    this.unreadyAfterMs = after;
    this.clock = options.clock ?? Date.now;
  }

  succeeded(name: string): void {
    this.failing.delete(name);
  }

  failed(name: string, error: unknown): void {
    const reason = reasonOf(error);
    const current = this.failing.get(name);
    if (current) current.lastError = reason;
    else this.failing.set(name, { since: this.clock(), lastError: reason });
  }

  /** The probe an adapter hands to the code that calls `name`. */
  dependency(name: string): DependencyProbe {
    return {
      succeeded: () => this.succeeded(name),
      failed: (error) => this.failed(name, error),
      track: async <T>(operation: Promise<T>): Promise<T> => {
        try {
          const result = await operation;
          this.succeeded(name);
          return result;
        } catch (error) {
          this.failed(name, error);
          throw error;
        }
      },
    };
  }

  /**
   * Unready while some dependency has failed and not once succeeded for at
   * least unreadyAfterMs; ready again at its next success. A dependency that
   * failed and was not called since stays failing: nothing says it is back.
   */
  readiness(): Readiness {
    const now = this.clock();
    const reasons: string[] = [];
    for (const [name, f] of this.failing) {
      const failingMs = now - f.since;
      if (failingMs < this.unreadyAfterMs) continue;
      reasons.push(`${name} failing for ${Math.floor(failingMs / 1000)} s (${f.lastError})`);
    }
    return reasons.length === 0 ? { ready: true } : { ready: false, reason: reasons.join('; ') };
  }

  ready(): boolean {
    return this.readiness().ready;
  }
}

/**
 * An error as one short line: its name and message, or its code when the
 * message is empty (Node's AggregateError of a refused dual-stack connect
 * carries only `code: 'ECONNREFUSED'`).
 */
export function reasonOf(error: unknown): string {
  let text: string;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const inner = error instanceof AggregateError ? (error.errors[0] as unknown) : undefined;
    const message =
      error.message ||
      (typeof code === 'string' ? code : '') ||
      (inner === undefined ? '' : reasonOf(inner));
    text = message === '' ? error.name : `${error.name}: ${message}`;
  } else {
    text = String(error);
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}
