// What the stand-in heard and said: one entry per gRPC call to the emulated services, in
// the order they arrived. The admin API is not recorded.
import type { GcpFault } from './faults.js';

export interface GcpJournalEntry {
  readonly at: string;
  readonly service: string;
  readonly method: string;
  /** The request's identifying fields: parent, name, findingId, pageToken, updateMask… */
  readonly request: Readonly<Record<string, unknown>>;
  /** The gRPC status code answered (0 = OK), or null when the connection was dropped. */
  readonly code: number | null;
  /** OK, INVALID_ARGUMENT, UNAVAILABLE…, or DROPPED. */
  readonly status: string;
  readonly message?: string;
  /** The fault injected into this call, if any. */
  readonly fault?: GcpFault['kind'];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The scalar fields of a request, the names inside its messages (finding.name) and a field
 * mask's paths: enough to tell calls apart without copying whole findings into the journal.
 */
export function summarize(request: unknown): Record<string, unknown> {
  if (!isRecord(request)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value;
    else if (isRecord(value) && Array.isArray(value['paths'])) out[key] = value['paths'];
    else if (isRecord(value) && typeof value['name'] === 'string')
      out[`${key}.name`] = value['name'];
  }
  return out;
}
