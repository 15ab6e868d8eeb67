import { describe, expect, it } from 'vitest';
import { prettyJsonPieces } from '../src/format/pretty-json.js';

const item = (i: number) => ({
  id: `f-${i}`,
  message: 'line one\nline "two" ✓ 🎉',
  nested: { list: [1, { deep: [] }, 'x'], empty: {}, none: null },
  tags: [],
  skip: undefined,
});

describe('prettyJsonPieces', () => {
  it.each([0, 1, 2, 255, 256, 257, 600])(
    'writes what JSON.stringify(…, null, 2) writes, with %i items',
    (count) => {
      const items = Array.from({ length: count }, (_, i) => item(i));
      const summary = { findings: count, bySeverity: { HIGH: 1 }, skipped: [] };
      const nested = (hole: unknown) => ({
        runs: [{ tool: { name: 't' }, results: hole }],
        summary,
      });
      const pieces = [...prettyJsonPieces(nested, items)];
      expect(pieces.join('')).toBe(`${JSON.stringify(nested(items), null, 2)}\n`);
      // Written in pieces, not as one string, once there are many.
      if (count > 256) expect(pieces.length).toBeGreaterThan(3);
      const top = [...prettyJsonPieces((hole) => hole, items)].join('');
      expect(top).toBe(`${JSON.stringify(items, null, 2)}\n`);
    },
  );

  it('refuses a skeleton with no place for the array', () => {
    expect(() => [...prettyJsonPieces(() => ({ a: 1 }), [])]).toThrow(/no place/);
  });
});
