import { constants, createReadStream } from 'node:fs';
import { access, open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { readFailure, type InputFile } from './inputs.js';
import {
  JsonSyntaxError,
  scanRecordPlaces,
  scanRecordSpans,
  type ByteSpan,
} from './record-scanner.js';
import { UsageError } from '../usage.js';

/**
 * Above this size a JSON document is not parsed whole: the elements of its
 * record array are streamed one by one, so memory stays bounded whatever the
 * size of a Config snapshot, a Resource Graph answer or a listAssets page.
 * 16 MiB: a document parsed whole costs about eight times its size while it is
 * held (measured: a 33 MB snapshot peaked at 500 MB with two evaluation
 * threads, 295 MB streamed), and streaming costs little (3.5 s → 4.0 s there).
 * DRIFT_STREAM_THRESHOLD_BYTES overrides it (tests use a small value).
 */
export function streamThreshold(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env['DRIFT_STREAM_THRESHOLD_BYTES']);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_STREAM_THRESHOLD;
}

const DEFAULT_STREAM_THRESHOLD = 16 * 1024 * 1024;

/** How much of a streamed document is read at a time. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * The arrays whose elements are records on their own: a top-level array, and the
 * record lists of the documents the clouds export (Config snapshots and history,
 * BatchGetResourceConfig, Resource Graph / az graph objectArray answers, ARM list
 * pages, listAssets and batchGetAssetsHistory answers), by their top-level key.
 */
const RECORD_KEYS = new Set([
  'configurationItems',
  'baseConfigurationItems',
  'data',
  'value',
  'assets',
]);

export type DocumentMode = 'ndjson' | 'stream' | 'whole';

/** A parsed JSON document (a whole file, or one NDJSON line), or a line that is not JSON. */
export type Document =
  | {
      readonly source: string;
      readonly value: unknown;
      /** Where a streamed record's bytes are in its file. */
      readonly span?: ByteSpan;
    }
  | { readonly source: string; readonly error: string };

/** Read this much at a time while looking for the first lines of a file. */
const SNIFF_CHUNK_BYTES = 64 * 1024;

/**
 * The first two non-empty lines of a file (the last one may end at the end of
 * the file), read a chunk at a time. A line longer than `cap` is not an NDJSON
 * record anyone exports: `tooLong` says so, and nothing more of it is kept, so
 * a minified multi-GB document on one line is never loaded to find its end.
 */
async function leadingLines(
  input: InputFile,
  cap: number,
): Promise<{ lines: string[]; tooLong: boolean }> {
  const handle = await open(input.path, 'r').catch((error: unknown) => {
    throw readFailure(input.label, error);
  });
  try {
    const lines: string[] = [];
    const buffer = Buffer.alloc(SNIFF_CHUNK_BYTES);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let position = 0;
    const take = (line: Buffer) => {
      const text = line.toString('utf8');
      if (text.trim() !== '') lines.push(text);
    };
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let chunk = buffer.subarray(0, bytesRead);
      for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a)) {
        take(Buffer.concat([...pending, chunk.subarray(0, end)]));
        pending = [];
        pendingBytes = 0;
        chunk = chunk.subarray(end + 1);
        if (lines.length === 2) return { lines, tooLong: false };
      }
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.length;
      if (pendingBytes > cap) return { lines, tooLong: true };
    }
    take(Buffer.concat(pending));
    return { lines, tooLong: false };
  } finally {
    await handle.close();
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A line that holds one record: a JSON object or array on its own. */
function isRecordLine(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** How the first line of a pretty-printed document looks: it opens an object or an array. */
function opensDocument(text: string): boolean {
  return /[[{]\s*$/.test(text);
}

/**
 * NDJSON by name (.ndjson, .jsonl), else by content: the first non-empty line
 * is a complete JSON value and more lines follow, or — a bad first line being a
 * bad record like any other — it is not the opening of a pretty-printed
 * document and the second line is a record. Anything else is one JSON document
 * (pretty-printed, or on one line).
 */
export async function isNdjson(input: InputFile): Promise<boolean> {
  if (/\.(ndjson|jsonl)$/i.test(input.path)) return true;
  const { lines, tooLong } = await leadingLines(input, streamThreshold());
  const [first, second] = lines;
  if (tooLong || first === undefined || second === undefined) return false;
  if (parses(first)) return true;
  return !opensDocument(first) && isRecordLine(second);
}

/** How an input is read: by line, by streamed record array, or whole. */
export async function documentMode(input: InputFile): Promise<DocumentMode> {
  await access(input.path, constants.R_OK).catch((error: unknown) => {
    throw readFailure(input.label, error);
  });
  if (await isNdjson(input)) return 'ndjson';
  return (await stat(input.path)).size > streamThreshold() ? 'stream' : 'whole';
}

/** One document as its JSON text, not yet parsed, and where it comes from. */
export interface DocumentText {
  readonly source: string;
  readonly text: string;
}

/**
 * The record-array elements of a large JSON document, one at a time, each as
 * `scan` hands it over; none when it has no such array. The bytes are cut into
 * records (scanRecords): no token-level parser, memory bounded by one record.
 */
async function* streamRecords<T>(
  input: InputFile,
  scan: (chunks: AsyncIterable<Buffer>, isRecordKey: (key: string) => boolean) => AsyncIterable<T>,
): AsyncGenerator<{ readonly source: string; readonly record: T }> {
  const bytes = (async function* () {
    try {
      // 1 MiB reads: fewer turns of the loop per record than the default 64 KiB.
      yield* createReadStream(input.path, {
        highWaterMark: READ_CHUNK_BYTES,
      }) as AsyncIterable<Buffer>;
    } catch (error) {
      throw readFailure(input.label, error);
    }
  })();
  let index = 0;
  try {
    for await (const record of scan(bytes, (key) => RECORD_KEYS.has(key))) {
      yield { source: `${input.label}[${index++}]`, record };
    }
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new UsageError(`${input.label} is not valid JSON: ${error.message}`);
  }
}

/**
 * Where each record of a large JSON document is (its bytes, its first line),
 * in order, for a reader that parses them elsewhere; none when it has no
 * record array. A document whose skeleton is not JSON is a usage error.
 */
export async function* readRecordPlaces(
  input: InputFile,
): AsyncGenerator<{ readonly span: ByteSpan; readonly line: number }> {
  for await (const { record } of streamRecords(input, scanRecordPlaces)) yield record;
}

/**
 * The non-empty lines of an NDJSON file as JSON text, each named by its line
 * number (the sources readDocuments gives): for a second reading of an input
 * the first one checked, whose records are parsed where they are used (on an
 * evaluation thread). A streamed document's records are read again by their
 * spans (readRange).
 */
export async function* readNdjsonTexts(input: InputFile): AsyncGenerator<DocumentText> {
  const lines = createInterface({
    input: createReadStream(input.path, 'utf8'),
    crlfDelay: Infinity,
  });
  let number = 0;
  const iterator = lines[Symbol.asyncIterator]();
  for (;;) {
    // A file that becomes unreadable while it is read is named, not a stack trace.
    const next = await iterator.next().catch((error: unknown) => {
      throw readFailure(input.label, error);
    });
    if (next.done) return;
    const line = next.value;
    number++;
    if (line.trim() === '') continue;
    yield { source: `${input.label}:${number}`, text: line };
  }
}

/** A file read whole; an empty one is a usage error naming it. */
async function wholeText(input: InputFile): Promise<string> {
  const text = await readFile(input.path, 'utf8').catch((error: unknown) => {
    throw readFailure(input.label, error);
  });
  if (text.trim() === '') throw new UsageError(`${input.label} is empty`);
  return text;
}

/**
 * Streams the documents of one input. NDJSON is read line by line and a large
 * JSON document record by record, so a multi-GB export never sits in memory;
 * a line that is not JSON comes back as an error document (the scan reports it
 * and goes on). A JSON file that does not parse is a usage error naming it.
 */
export async function* readDocuments(
  input: InputFile,
  known?: DocumentMode,
): AsyncGenerator<Document> {
  const mode = known ?? (await documentMode(input));
  if (mode === 'stream') {
    let streamed = 0;
    for await (const { source, record } of streamRecords(input, scanRecordSpans)) {
      streamed++;
      yield { source, value: record.value, span: record.span };
    }
    if (streamed > 0) return;
    // No record array (a Resource Graph table, a single large item): read it whole.
  }
  if (mode === 'ndjson') {
    for await (const { source, text } of readNdjsonTexts(input)) {
      try {
        yield { source, value: JSON.parse(text) as unknown };
      } catch (error) {
        yield { source, error: `not JSON (${(error as Error).message})` };
      }
    }
    return;
  }
  const text = await wholeText(input);
  try {
    yield { source: input.label, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new UsageError(`${input.label} is not valid JSON or NDJSON: ${(error as Error).message}`);
  }
}
