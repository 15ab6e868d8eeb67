import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Consecutive records of a streamed input, by where the first pass found
 * their bytes: what a second pass reads again without scanning the file.
 */
export interface RecordRange {
  readonly path: string;
  /** The input's name in messages. */
  readonly label: string;
  /** The index of the first record among the input's records. */
  readonly first: number;
  /** Each record's (start, end) byte offsets, in order. */
  readonly spans: Float64Array;
}

/** A record of a range: its source (label[index]) and its JSON text, or why it cannot be had. */
export type RangeRecord =
  | { readonly source: string; readonly text: string }
  | { readonly source: string; readonly error: string };

/** Reads [start, end) of a file; fewer bytes when it is shorter now. */
function readBytes(path: string, start: number, end: number): Buffer {
  const bytes = Buffer.allocUnsafe(end - start);
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < bytes.length) {
      const got = readSync(fd, bytes, read, bytes.length - read, start + read);
      if (got === 0) break;
      read += got;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * The records of a range, read with one read of the bytes they span. A file
 * that cannot be read again, or is shorter than the first pass saw, gives
 * each record it no longer holds an error naming it, never silence.
 */
export function readRange(range: RecordRange): RangeRecord[];
/** The same, but the records at the places in `skip` are not decoded: undefined stands for each. */
export function readRange(
  range: RecordRange,
  skip: ReadonlySet<number>,
): (RangeRecord | undefined)[];
export function readRange(
  range: RecordRange,
  skip?: ReadonlySet<number>,
): (RangeRecord | undefined)[] {
  const { spans, label, first } = range;
  const count = spans.length / 2;
  const sourceOf = (k: number) => `${label}[${first + k}]`;
  const from = spans[0] ?? 0;
  let bytes: Buffer;
  try {
    bytes = readBytes(range.path, from, spans[spans.length - 1] ?? from);
  } catch (error) {
    const reason = `could not be read again: ${(error as Error).message}`;
    return Array.from({ length: count }, (_, k) =>
      skip?.has(k) ? undefined : { source: sourceOf(k), error: reason },
    );
  }
  const records: (RangeRecord | undefined)[] = [];
  for (let k = 0; k < count; k++) {
    if (skip?.has(k)) {
      records.push(undefined);
      continue;
    }
    const start = (spans[2 * k] ?? 0) - from;
    const end = (spans[2 * k + 1] ?? 0) - from;
    records.push(
      end <= bytes.length
        ? { source: sourceOf(k), text: bytes.toString('utf8', start, end) }
        : { source: sourceOf(k), error: 'the file is shorter than when it was first read' },
    );
  }
  return records;
}
