import { jsonBytes, MAX_BATCH_BYTES, MAX_BATCH_FINDINGS } from './asff-limits.js';

export interface BatchLimits {
  readonly maxCount: number;
  /** Bytes of the whole request body, envelope included. */
  readonly maxBytes: number;
}

/** BatchImportFindings: at most 100 findings and 6 MB per request (see asff-limits.ts). */
export const IMPORT_LIMITS: BatchLimits = {
  maxCount: MAX_BATCH_FINDINGS,
  maxBytes: MAX_BATCH_BYTES,
};

/**
 * Splits items, in order, into batches of at most maxCount items whose request
 * body `{"<field>":[…]}` is at most maxBytes of JSON. Sizes are measured, not
 * estimated: a batch of large findings closes early. An item that alone is over
 * maxBytes still goes out in a batch of its own (the per-finding limit, far
 * below, is fitFinding's job).
 */
export function batchBySize<T>(
  items: readonly T[],
  limits: BatchLimits = IMPORT_LIMITS,
  field = 'Findings',
): T[][] {
  const envelope = jsonBytes({ [field]: [] });
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = envelope;
  for (const item of items) {
    const size = jsonBytes(item);
    const separator = current.length > 0 ? 1 : 0; // the comma between array elements
    if (
      current.length > 0 &&
      (current.length >= limits.maxCount || bytes + separator + size > limits.maxBytes)
    ) {
      batches.push(current);
      current = [];
      bytes = envelope;
    }
    bytes += (current.length > 0 ? 1 : 0) + size;
    current.push(item);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Plain chunks of at most `size` items (BatchUpdateFindings: 100 identifiers per call). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
