import type { AbortSignalLike } from '@azure/abort-controller';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

export const QUOTA_POLICY = 'driftResourceGraphQuota';

/**
 * Resource Graph's per-user quota headers, on every query answer:
 * `x-ms-user-quota-remaining` (queries left in the window) and
 * `x-ms-user-quota-resets-after` (hh:mm:ss until the window resets).
 * https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests#understand-throttling-headers
 */
export const QUOTA_REMAINING = 'x-ms-user-quota-remaining';
export const QUOTA_RESETS_AFTER = 'x-ms-user-quota-resets-after';

/** "hh:mm:ss" (a fraction of a second allowed) as ms; null when it is not one. */
export function parseResetsAfter(text: string | undefined): number | null {
  const match = /^(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$/.exec(text?.trim() ?? '');
  if (!match) return null;
  const [, hours, minutes, seconds] = match;
  return Math.round(((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000);
}

/** When the answer says the quota is used up: the ms until it resets; else undefined. */
export function quotaResetsAfterMs(response: PipelineResponse): number | undefined {
  const remaining = response.headers.get(QUOTA_REMAINING);
  if (remaining === undefined || remaining.trim() === '' || Number(remaining) > 0) return undefined;
  return parseResetsAfter(response.headers.get(QUOTA_RESETS_AFTER)) ?? undefined;
}

function isResourceGraphCall(url: string): boolean {
  return new URL(url).pathname.toLowerCase().startsWith('/providers/microsoft.resourcegraph/');
}

/** Resolves after ms, or at once when the signal aborts (the send that follows then fails). */
function wait(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

export interface QuotaPolicyOptions {
  /** The longest single wait (a header asking for hours is cut to this). */
  readonly capMs: number;
  readonly now?: (() => number) | undefined;
  /** Told when a query waits for the quota, for logs. */
  readonly onWait?: ((ms: number) => void) | undefined;
}

/**
 * Holds Resource Graph queries back while the caller's quota is used up:
 * once an answer says `x-ms-user-quota-remaining: 0`, the next query waits
 * `x-ms-user-quota-resets-after`, as Microsoft asks
 * (https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests#staggering-queries),
 * instead of being throttled. One clock per pipeline: every client sharing
 * the pipeline respects it. Placed inside the retry loop, so retries wait
 * too. Other ARM calls never wait for it.
 */
export function resourceGraphQuotaPolicy(options: QuotaPolicyOptions): PipelinePolicy {
  const now = options.now ?? Date.now;
  let notBefore = 0;
  return {
    name: QUOTA_POLICY,
    async sendRequest(request, next) {
      if (!isResourceGraphCall(request.url)) return next(request);
      const waitMs = Math.min(options.capMs, notBefore - now());
      if (waitMs > 0) {
        options.onWait?.(waitMs);
        await wait(waitMs, request.abortSignal);
      }
      const response = await next(request);
      const resetMs = quotaResetsAfterMs(response);
      if (resetMs !== undefined) notBefore = Math.max(notBefore, now() + resetMs);
      return response;
    },
  };
}
