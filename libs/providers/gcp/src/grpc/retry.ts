import { DEFAULT_BACKOFF_BASE_MS, fullJitterDelayMs, sleep } from '@drift-detective/pipeline';

/**
 * gRPC status codes (https://grpc.io/docs/guides/status-codes/), those this
 * adapter tells apart.
 */
export const GRPC = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * Codes worth another attempt: quota (RESOURCE_EXHAUSTED), a service or
 * connection down for now (UNAVAILABLE), an attempt past its deadline, and a
 * concurrency conflict (ABORTED). Google's guidance on which codes to retry:
 * https://cloud.google.com/apis/design/errors#error_retries
 */
const RETRYABLE: ReadonlySet<number> = new Set([
  GRPC.RESOURCE_EXHAUSTED,
  GRPC.UNAVAILABLE,
  GRPC.DEADLINE_EXCEEDED,
  GRPC.ABORTED,
]);

/** The gRPC status code of a client error, if it carries one. */
export function grpcCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export function isRetryableGrpc(error: unknown): boolean {
  const code = grpcCodeOf(error);
  return code !== undefined && RETRYABLE.has(code);
}

/**
 * Refusals no retry changes: the request itself (INVALID_ARGUMENT,
 * FAILED_PRECONDITION, NOT_FOUND) or the identity's rights (PERMISSION_DENIED).
 */
export function isPermanentGrpc(error: unknown): boolean {
  const code = grpcCodeOf(error);
  return (
    code === GRPC.INVALID_ARGUMENT ||
    code === GRPC.FAILED_PRECONDITION ||
    code === GRPC.NOT_FOUND ||
    code === GRPC.PERMISSION_DENIED
  );
}

/**
 * The wait the service asked for: a google.rpc.RetryInfo detail, which
 * google-gax decodes into `statusDetails[].retryDelay` (a Duration)
 * (https://cloud.google.com/apis/design/errors#retryinfo). undefined when none.
 */
export function retryDelayMsOf(error: unknown): number | undefined {
  const details = (error as { statusDetails?: unknown } | null)?.statusDetails;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = (detail as { retryDelay?: { seconds?: unknown; nanos?: unknown } } | null)
      ?.retryDelay;
    if (delay === undefined || delay === null) continue;
    const seconds = Number(delay.seconds ?? 0);
    const nanos = Number(delay.nanos ?? 0);
    if (Number.isFinite(seconds) && Number.isFinite(nanos) && seconds >= 0 && nanos >= 0) {
      return seconds * 1000 + Math.floor(nanos / 1e6);
    }
  }
  return undefined;
}

export interface GcpRetrySettings {
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number | undefined;
  readonly baseMs?: number | undefined;
  /** The largest wait, RetryInfo's included (default DEFAULT_GCP_RETRY_CAP_MS). */
  readonly capMs?: number | undefined;
  readonly random?: (() => number) | undefined;
  readonly onRetry?: ((info: GcpRetryInfo) => void) | undefined;
}

export interface GcpRetryInfo {
  readonly call: string;
  readonly code: number | undefined;
  /** 1 for the first retry. */
  readonly retry: number;
  readonly delayMs: number;
}

export const DEFAULT_GCP_MAX_RETRIES = 4;
/**
 * A minute: the per-minute quotas of Cloud Asset Inventory and SCC refill
 * within it (https://cloud.google.com/asset-inventory/docs/quota,
 * https://cloud.google.com/security-command-center/quotas).
 */
export const DEFAULT_GCP_RETRY_CAP_MS = 60_000;

/** What a call throws when the signal stopped it: never retried, never a cloud failure. */
export class GcpCallAborted extends Error {
  override readonly name = 'AbortError';
}

/**
 * Runs one Google API call with the shared backoff: retryable codes wait the
 * longer of RetryInfo's delay and a full-jitter draw, up to the cap, then try
 * again; anything else, or the last failure, is thrown as it came. The
 * clients' own retries are switched off per call (`retry: null`), so this is
 * the one policy, and SCC v2 methods (which the client never retries) get it
 * too. The signal stops the wait and rejects the call in flight.
 */
export async function callGcp<T>(
  call: string,
  attempt: () => Promise<T>,
  options: GcpRetrySettings & { readonly signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? DEFAULT_GCP_MAX_RETRIES;
  const bounds = {
    baseMs: options.baseMs ?? DEFAULT_BACKOFF_BASE_MS,
    capMs: options.capMs ?? DEFAULT_GCP_RETRY_CAP_MS,
    random: options.random,
  };
  for (let retry = 0; ; retry += 1) {
    if (options.signal?.aborted) throw new GcpCallAborted(`${call} stopped`);
    try {
      return await abortable(attempt(), options.signal, call);
    } catch (error) {
      if (error instanceof GcpCallAborted || retry >= maxRetries || !isRetryableGrpc(error)) {
        throw error;
      }
      const asked = retryDelayMsOf(error) ?? 0;
      const delayMs = Math.min(bounds.capMs, Math.max(asked, fullJitterDelayMs(retry + 1, bounds)));
      options.onRetry?.({ call, code: grpcCodeOf(error), retry: retry + 1, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  call: string,
): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new GcpCallAborted(`${call} stopped`));
    signal.addEventListener('abort', stop, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(error as Error);
      },
    );
  });
}

/** One line for a failed Google call: the code's name and the service's message, never a token. */
export function describeGcpError(error: unknown): string {
  const code = grpcCodeOf(error);
  const name =
    code === undefined ? undefined : Object.entries(GRPC).find(([, value]) => value === code)?.[0];
  const details = (error as { details?: unknown } | null)?.details;
  const message =
    typeof details === 'string' && details !== ''
      ? details
      : error instanceof Error
        ? error.message
        : String(error);
  const line = message.split('\n')[0] ?? '';
  return name === undefined ? line : `${name}: ${line.replace(/^\d+ [A-Z_]+: /, '')}`;
}
