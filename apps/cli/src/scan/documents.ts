import { createReadStream } from 'node:fs';
import { access, open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import type { InputFile } from './inputs.js';
import { UsageError } from '../usage.js';

/**
 * Above this size a JSON document is not parsed whole: the elements of its
 * record array are streamed one by one, so memory stays bounded whatever the
 * size of a Config snapshot, a Resource Graph answer or a listAssets page.
 * DRIFT_STREAM_THRESHOLD_BYTES overrides it (tests use a small value).
 */
export function streamThreshold(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env['DRIFT_STREAM_THRESHOLD_BYTES']);
  return Number.isFinite(configured) && configured > 0 ? configured : 64 * 1024 * 1024;
}

/**
 * The arrays whose elements are records on their own: a top-level array, and the
 * record lists of the documents the clouds export (Config snapshots and history,
 * BatchGetResourceConfig, Resource Graph / az graph objectArray answers, ARM list
 * pages, listAssets and batchGetAssetsHistory answers).
 */
const RECORD_PATHS = /^(\d+|(configurationItems|baseConfigurationItems|data|value|assets)\.\d+)$/;

export type DocumentMode = 'ndjson' | 'stream' | 'whole';

/** A parsed JSON document (a whole file, or one NDJSON line), or a line that is not JSON. */
export type Document =
  | { readonly source: string; readonly value: unknown }
  | { readonly source: string; readonly error: string };

/** How much of a file is looked at to tell NDJSON from one JSON document. */
const SNIFF_BYTES = 1024 * 1024;

/**
 * The first non-empty line, if it ends within the first MiB, and whether
 * anything but white space follows it. Only that much is read: a minified
 * multi-GB document on one line is never loaded to find its end.
 */
async function firstLine(file: string): Promise<{ line: string | undefined; more: boolean }> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    let offset = 0;
    while (offset < text.length) {
      const end = text.indexOf('\n', offset);
      if (end === -1) return { line: undefined, more: false }; // no complete line within the sniff
      const line = text.slice(offset, end);
      if (line.trim() !== '')
        return { line, more: text.slice(end + 1).trim() !== '' || bytesRead === SNIFF_BYTES };
      offset = end + 1;
    }
    return { line: undefined, more: false };
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

/**
 * NDJSON when the first non-empty line is a complete JSON value and more lines
 * follow; otherwise one JSON document (pretty-printed or on one line).
 */
export async function isNdjson(file: string): Promise<boolean> {
  const { line, more } = await firstLine(file);
  return line !== undefined && more && parses(line);
}

/** How an input is read: by line, by streamed record array, or whole. */
export async function documentMode(input: InputFile): Promise<DocumentMode> {
  await access(input.path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${input.label}: ${error.code ?? String(error)}`);
  });
  if (await isNdjson(input.path)) return 'ndjson';
  return (await stat(input.path)).size > streamThreshold() ? 'stream' : 'whole';
}

/** The record-array elements of a large JSON document, one at a time; none when it has no such array. */
async function* streamRecords(input: InputFile): AsyncGenerator<Document> {
  const records = chain([
    createReadStream(input.path),
    parser(),
    pick({ filter: RECORD_PATHS }),
    streamValues(),
  ]);
  let index = 0;
  try {
    for await (const item of records as AsyncIterable<{ value: unknown }>) {
      yield { source: `${input.label}[${index++}]`, value: item.value };
    }
  } catch (error) {
    throw new UsageError(`${input.label} is not valid JSON: ${(error as Error).message}`);
  }
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
    for await (const document of streamRecords(input)) {
      streamed++;
      yield document;
    }
    if (streamed > 0) return;
    // No record array (a Resource Graph table, a single large item): read it whole.
  }
  if (mode === 'ndjson') {
    const lines = createInterface({
      input: createReadStream(input.path, 'utf8'),
      crlfDelay: Infinity,
    });
    let number = 0;
    for await (const line of lines) {
      number++;
      if (line.trim() === '') continue;
      const source = `${input.label}:${number}`;
      try {
        yield { source, value: JSON.parse(line) as unknown };
      } catch (error) {
        yield { source, error: `not JSON (${(error as Error).message})` };
      }
    }
    return;
  }
  const text = await readFile(input.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${input.label}: ${error.code ?? String(error)}`);
  });
  if (text.trim() === '') throw new UsageError(`${input.label} is empty`);
  try {
    yield { source: input.label, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new UsageError(`${input.label} is not valid JSON or NDJSON: ${(error as Error).message}`);
  }
}
