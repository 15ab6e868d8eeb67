import { readFile } from 'node:fs/promises';
import { UsageError } from './usage.js';

/** One record read from an input file, with where it came from. */
export interface InputRecord {
  readonly source: string;
  readonly value: unknown;
}

/**
 * Reads a JSON document (an array of records or one record) or NDJSON (one
 * record a line). The error names the file, and the line for NDJSON.
 */
export async function readRecords(file: string): Promise<InputRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError(`${file} is empty`);
  try {
    const document: unknown = JSON.parse(trimmed);
    const values = Array.isArray(document) ? document : [document];
    return values.map((value, index) => ({ source: `${file}[${index}]`, value }));
  } catch {
    // Not one JSON document: read it as NDJSON.
  }
  const records: InputRecord[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      records.push({ source: `${file}:${index + 1}`, value: JSON.parse(line) });
    } catch (error) {
      throw new UsageError(`${file}:${index + 1}: not JSON (${(error as Error).message})`);
    }
  }
  return records;
}
