import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, scanRecords, scanRecordSpans } from '../src/scan/record-scanner.js';

const samples = path.resolve(import.meta.dirname, '..', '..', '..', 'samples');
const RECORD_KEYS = new Set(['configurationItems', 'data', 'value', 'assets']);
const isRecordKey = (key: string) => RECORD_KEYS.has(key);

/** The document's bytes in chunks of `size` (the last one shorter). */
async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function scanned(text: string, size = 65_536): Promise<unknown[]> {
  const records: unknown[] = [];
  for await (const record of scanRecords(chunked(text, size), isRecordKey)) records.push(record);
  return records;
}

/** What the scanner must find, by JSON.parse of the whole document. */
function expected(text: string): unknown[] {
  const value = JSON.parse(text) as unknown;
  if (Array.isArray(value)) return value;
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    isRecordKey(key) && Array.isArray(inner) ? inner : [],
  );
}

const tricky = JSON.stringify({
  fileVersion: '1.0',
  'con"fig': [{ not: 'records' }],
  nested: { data: [1, 2] },
  data: [
    { s: 'a "quoted" ] } [ { string, with: commas', u: 'ünïcödé ✓ 🎉', e: '\\', n: null },
    [1, [2, [3]]],
    'a plain string record',
    -12.5e3,
    true,
    null,
    { deep: { deeper: [{ deepest: '}' }] } },
  ],
  value: [],
  tail: 'after',
});

describe('scanRecords', () => {
  it.each([
    ['an AWS Config snapshot', 'aws/config-snapshot.json'],
    ['a Resource Graph answer', 'azure/resource-graph-answer.json'],
  ])('finds the records of %s as JSON.parse does, whatever the chunks', async (_label, file) => {
    const text = readFileSync(path.join(samples, file), 'utf8');
    const want = expected(text);
    expect(want.length).toBeGreaterThan(20);
    for (const size of [1, 3, 7, 64, 65_536]) expect(await scanned(text, size)).toEqual(want);
  });

  it('reads strings with quotes, brackets and escapes, every kind of element, and other keys', async () => {
    const want = expected(tricky);
    expect(want).toHaveLength(7);
    for (const size of [1, 2, 5, 13, 4096]) expect(await scanned(tricky, size)).toEqual(want);
    // Pretty-printed, and a top-level array.
    expect(await scanned(JSON.stringify(JSON.parse(tricky), null, 2), 3)).toEqual(want);
    expect(await scanned(JSON.stringify(want, null, 1), 4)).toEqual(want);
    expect(await scanned('{"fileVersion": "1.0"}')).toEqual([]);
  });

  it('finds any records, of any strings, as JSON.parse does, in chunks of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        async (records, size, pretty) => {
          const text = JSON.stringify({ head: 'ü', data: records }, null, pretty ? 2 : undefined);
          expect(await scanned(text, size)).toEqual(expected(text));
          // Each record's span holds its bytes exactly, multi-byte characters and chunk edges included.
          const bytes = Buffer.from(text, 'utf8');
          const found: unknown[] = [];
          for await (const { value, span } of scanRecordSpans(chunked(text, size), isRecordKey)) {
            expect(JSON.parse(bytes.toString('utf8', span.start, span.end))).toEqual(value);
            found.push(value);
          }
          expect(found).toEqual(expected(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses every cut of a document, never yielding a record the document does not hold', async () => {
    const text = JSON.stringify(JSON.parse(tricky), null, 1);
    const want = expected(text);
    for (let end = 1; end < text.length - 1; end++) {
      const cut = text.slice(0, end);
      const seen: unknown[] = [];
      const error = await (async () => {
        for await (const record of scanRecords(chunked(cut, 16), isRecordKey)) seen.push(record);
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `cut at ${end}: ${cut.slice(-20)}`).toBeInstanceOf(JsonSyntaxError);
      expect(seen).toEqual(want.slice(0, seen.length));
    }
  });

  it.each([
    [
      'two records without a comma',
      '{"data": [{"a": 1} {"b": 2}]}',
      'two records without a comma between them at line 1',
    ],
    ['a trailing comma', '{"data": [1, 2,\n]}', 'a record array ends with a comma at line 2'],
    ['an empty element', '{"data": [1,, 2]}', 'a record array holds an empty element at line 1'],
    ['a broken record', '{"data": [\n{"a": tru}\n]}', /^a record .* at line 2$/],
    ['a broken skeleton', '{"fileVersion" "1.0", "data": []}', /JSON/],
    ['junk after the document', '{"data": [1]} {}', /JSON/],
    ['a bracket that closes the wrong thing', '{"data": [1}', "'}' closes an array at line 1"],
  ])('names %s', async (_label, text, message) => {
    const error = await scanned(text).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as Error).message).toMatch(message);
  });
});
