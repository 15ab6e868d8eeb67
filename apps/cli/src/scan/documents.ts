import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { InputFile } from './inputs.js';
import { UsageError } from '../usage.js';

/** A parsed JSON document (a whole file, or one NDJSON line), or a line that is not JSON. */
export type Document =
  | { readonly source: string; readonly value: unknown }
  | { readonly source: string; readonly error: string };

async function firstLine(file: string): Promise<{ line: string; more: boolean }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let first: string | undefined;
  try {
    for await (const line of lines) {
      if (first === undefined) {
        if (line.trim() !== '') first = line;
      } else if (line.trim() !== '') {
        return { line: first, more: true };
      }
    }
  } finally {
    lines.close();
  }
  return { line: first ?? '', more: false };
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
  return more && parses(line);
}

/**
 * Streams the documents of one input. NDJSON is read line by line, so a
 * multi-GB export never sits in memory; a line that is not JSON comes back as
 * an error document (the scan reports it and goes on). A JSON file that does
 * not parse is a usage error naming the file.
 */
export async function* readDocuments(input: InputFile): AsyncGenerator<Document> {
  await access(input.path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${input.label}: ${error.code ?? String(error)}`);
  });
  if (await isNdjson(input.path)) {
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
