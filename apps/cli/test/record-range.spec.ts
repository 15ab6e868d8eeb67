// A streamed input read again by where the first pass found its records:
// the span log kept on disk, and the records read back by their spans.
import { rmSync, truncateSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { builtPolicyEngine } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { judgeJob } from '../src/scan/evaluation/judge.js';
import { INVENTORIES } from '../src/scan/inventories.js';
import { readingFor } from '../src/scan/normalize-inventory.js';
import { readRange } from '../src/scan/record-range.js';
import { workspaceRoot } from './cli-process.js';
import { SpanLog } from '../src/scan/spill/span-log.js';
import { scratchDirs } from './scratch-dirs.js';

const scratch = scratchDirs('drift-range-');

describe('SpanLog', () => {
  it('gives back every span in order, across the blocks it writes', () => {
    const log = new SpanLog(path.join(scratch(), 'spans.bin'));
    const count = 20_000; // more than two blocks of 8,192
    // Offsets past 2^32: a multi-GB file's records must not wrap.
    for (let i = 0; i < count; i++) log.add({ start: 2 ** 33 + i * 10, end: 2 ** 33 + i * 10 + 7 });
    expect(log.count).toBe(count);
    const back: number[] = [];
    for (const block of log.blocks()) back.push(...block);
    log.close();
    expect(back).toHaveLength(2 * count);
    expect(back.slice(0, 4)).toEqual([2 ** 33, 2 ** 33 + 7, 2 ** 33 + 10, 2 ** 33 + 17]);
    expect(back.at(-1)).toBe(2 ** 33 + (count - 1) * 10 + 7);
  });
});

describe('readRange', () => {
  const records = ['{"a":1}', '{"b":"ünï"}', '[1,2]'];
  const document = `{"data":[${records.join(',\n')}]}`;
  function spansOf(text: string): Float64Array {
    const bytes = Buffer.from(text, 'utf8');
    const spans: number[] = [];
    let from = 0;
    for (const record of records) {
      const start = bytes.indexOf(record, from);
      spans.push(start, start + Buffer.byteLength(record));
      from = start + 1;
    }
    return Float64Array.from(spans);
  }

  it("reads each record's text and names it by its place in the input", () => {
    const file = path.join(scratch(), 'doc.json');
    writeFileSync(file, document);
    const read = readRange({ path: file, label: 'doc.json', first: 40, spans: spansOf(document) });
    expect(read).toEqual(records.map((text, k) => ({ source: `doc.json[${40 + k}]`, text })));
  });

  it('names each record a shorter file no longer holds, and a file that is gone', () => {
    const file = path.join(scratch(), 'doc.json');
    writeFileSync(file, document);
    const spans = spansOf(document);
    truncateSync(file, (spans[3] ?? 0) + 1);
    const read = readRange({ path: file, label: 'doc.json', first: 0, spans });
    expect(read.slice(0, 2)).toEqual(
      records.slice(0, 2).map((text, k) => ({ source: `doc.json[${k}]`, text })),
    );
    expect(read[2]).toEqual({
      source: 'doc.json[2]',
      error: 'the file is shorter than when it was first read',
    });
    rmSync(file);
    const gone = readRange({ path: file, label: 'doc.json', first: 0, spans });
    expect(gone).toHaveLength(3);
    for (const record of gone)
      expect(record).toMatchObject({
        error: expect.stringMatching(/^could not be read again: ENOENT/),
      });
  });
});

describe('a range judged again by its spans', () => {
  it('skips a record that is no longer JSON where the first pass found it, saying the file changed', async () => {
    const snapshot = JSON.parse(
      await readFile(path.join(workspaceRoot, 'samples', 'aws', 'config-snapshot.json'), 'utf8'),
    ) as { configurationItems: unknown[] };
    const items = snapshot.configurationItems.slice(0, 2).map((item) => JSON.stringify(item));
    const text = `{"configurationItems": [${items.join(',')}]}`;
    const file = path.join(scratch(), 'snapshot.json');
    writeFileSync(file, text);
    const start = text.indexOf(items[0] as string);
    const second = text.indexOf(items[1] as string);
    const spans = Float64Array.from([
      start,
      start + (items[0] as string).length,
      second,
      second + (items[1] as string).length,
    ]);
    const by = {
      engine: await builtPolicyEngine(),
      includeRule: () => true,
      reading: readingFor({ inputs: [], inventories: INVENTORIES, provider: 'aws' }),
    };
    const range = { path: file, label: 'snapshot.json', first: 0, spans };
    const before = judgeJob({ records: range }, by);
    expect(before).toHaveLength(2);
    for (const outcome of before) expect(outcome).toHaveProperty('judgement');
    // The second item's first byte overwritten: the file changed between the passes.
    writeFileSync(file, `${text.slice(0, second)}#${text.slice(second + 1)}`);
    const after = judgeJob({ records: range }, by);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual({
      skipped: { input: 'snapshot.json[1]', reason: 'the file changed since it was first read' },
    });
  });
});
