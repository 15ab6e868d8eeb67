import { NormalizeError } from '@drift-detective/resource-model';
import type { SweepSummary } from './sweep-mode.js';

/**
 * What marks a queue message as a request to sweep one shard, not a change
 * event: `{"kind": "drift-detective/sweep-shard", "v": 1, "cloud": "aws",
 * "shard": "123456789012/us-east-1", "requestedAt": "…"}`. No cloud's change
 * event has a `kind` of this value, so the two never mix up.
 */
export const SWEEP_REQUEST_KIND = 'drift-detective/sweep-shard';
export const SWEEP_REQUEST_VERSION = 1;

/** One shard of a cloud's estate to sweep, as a worker takes it from the queue. */
export interface SweepRequest {
  /** The cloud whose adapter sweeps it: `aws`, `azure`, `gcp`. */
  readonly cloud: string;
  /** The shard as the cloud's sweep names it: `<account>/<region>`, a subscription, `projects/p`. */
  readonly shard: string;
  /** When it was asked for (ISO 8601), for the logs; a scheduler's fixed body may leave it out. */
  readonly requestedAt?: string | undefined;
}

/** The message text of a request, as `sweep --enqueue` sends it. */
export function sweepRequestText(request: SweepRequest): string {
  return JSON.stringify({
    kind: SWEEP_REQUEST_KIND,
    v: SWEEP_REQUEST_VERSION,
    cloud: request.cloud,
    shard: request.shard,
    ...(request.requestedAt === undefined ? {} : { requestedAt: request.requestedAt }),
  });
}

/**
 * The request a message's parsed body carries; undefined when it is no sweep
 * request (a change event). A body that says it is one but is not readable
 * throws NormalizeError naming what is wrong: no retry makes it readable.
 */
export function readSweepRequest(document: unknown, source: string): SweepRequest | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return undefined;
  }
  const body = document as Record<string, unknown>;
  if (body['kind'] !== SWEEP_REQUEST_KIND) return undefined;
  const bad = (problem: string) => new NormalizeError(source, `sweep request ${problem}`);
  if (body['v'] !== SWEEP_REQUEST_VERSION) {
    throw bad(`has version ${JSON.stringify(body['v'])}; this adapter reads version 1`);
  }
  const { cloud, shard, requestedAt } = body;
  if (typeof cloud !== 'string' || cloud === '') throw bad('names no cloud');
  if (typeof shard !== 'string' || shard === '') throw bad('names no shard');
  if (
    requestedAt !== undefined &&
    (typeof requestedAt !== 'string' || isNaN(Date.parse(requestedAt)))
  ) {
    throw bad(`has requestedAt ${JSON.stringify(requestedAt)}, which is no time`);
  }
  return { cloud, shard, ...(requestedAt === undefined ? {} : { requestedAt }) };
}

/**
 * How an event worker takes sweep requests from its queue: what the cloud's
 * adapter wires beside its inventory.
 */
export interface SweepRequests {
  /** The cloud this adapter sweeps: a request for another is refused for good. */
  readonly cloud: string;
  /**
   * The request a delivered message carries (its body as the event source
   * hands it), undefined for a change event; throws NormalizeError for one
   * that cannot be read.
   */
  requestOf(body: unknown, source: string): SweepRequest | undefined;
  /**
   * Sweeps the shard under its lease, resuming its checkpoint. Throws
   * NormalizeError when the shard is not one this adapter's settings sweep
   * (refused for good: a queue message must not widen what the adapter
   * reads); any other error is a failure to retry.
   */
  run(request: SweepRequest): Promise<SweepSummary>;
  /** Set when the worker is stopping: a shard it cut is handed back at once. */
  readonly signal?: AbortSignal | undefined;
}
