import { toUtcTimestamp } from '../decode/time.js';
import { isObject, pick, type JsonObject } from '../decode/values.js';

/**
 * The state of one asset in effect at `at`, among the TemporalAssets a history read answered:
 * the latest whose window starts at or before `at` (a window's start is the change that made
 * it, https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#timewindow).
 * When every state starts later (two content types of a new asset written a moment apart),
 * the earliest of them: the nearest state there is. null when the answer holds none.
 *
 * The state at the feed message's own time, not the latest: a message judged late (a
 * redelivery) then joins the other part as it was, and its observedAt stays its own, so the
 * pipeline's staleness check sets it aside instead of mixing old and new.
 */
export function stateAt(
  temporals: readonly JsonObject[],
  assetName: string,
  at: string,
): JsonObject | null {
  const target = nanosOf(at);
  const ofAsset = temporals
    .filter((t) => isObject(t['asset']) && t['asset']['name'] === assetName)
    .map((t) => ({ t, start: windowStart(t) }))
    .sort((a, b) => compare(a.start, b.start));
  if (ofAsset.length === 0 || target === null) return ofAsset[0]?.t ?? null;
  const before = ofAsset.filter((s) => s.start === null || s.start <= target);
  return (before[before.length - 1] ?? ofAsset[0])?.t ?? null;
}

/** The later of two times (RFC 3339 or {seconds, nanos}), as RFC 3339 UTC; null if neither reads. */
export function laterOf(a: unknown, b: unknown): string | null {
  const x = toUtcTimestamp(a);
  const y = toUtcTimestamp(b);
  if (x === null || y === null) return x ?? y;
  return compare(nanosOf(x), nanosOf(y)) >= 0 ? x : y;
}

function windowStart(temporal: JsonObject): bigint | null {
  const window = temporal['window'];
  if (!isObject(window)) return null;
  const start = toUtcTimestamp(pick(window, 'startTime', 'start_time'));
  return start === null ? null : nanosOf(start);
}

/** Nanoseconds since the epoch of an RFC 3339 UTC time: the fraction may have nine digits. */
export function nanosOf(time: string): bigint | null {
  const match = /^(.*?)(?:\.(\d{1,9}))?Z$/.exec(time);
  const millis = match?.[1] === undefined ? NaN : Date.parse(`${match[1]}Z`);
  if (!match || !Number.isFinite(millis)) return null;
  return BigInt(millis) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Absent (null) first: a state without a start has been in effect since before any other. */
function compare(a: bigint | null, b: bigint | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
