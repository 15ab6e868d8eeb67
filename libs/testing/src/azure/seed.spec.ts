// Seeds in the shapes people have them, and the ARM view of a seeded row
// against what ARM really answered for the same resource (a recorded exchange).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { armBody } from './inventory.js';
import { rowsOfAnswer, SeedError } from './seed.js';

interface Cassette {
  readonly interactions: readonly {
    readonly request: { readonly method: string; readonly uri: string };
    readonly response: { readonly body: { readonly data: unknown } };
  }[];
}

/** Resource Graph (table format) and ARM answers about the same storage accounts, recorded from Azure. */
const cassette = JSON.parse(
  readFileSync(
    path.resolve(
      import.meta.dirname,
      '../../../providers/azure/test/fixtures/corpus/azure/cassette-resource-graph-and-arm-storage.json',
    ),
    'utf8',
  ),
) as Cassette;
const recorded = (uriPart: string) =>
  cassette.interactions.find((i) => i.request.uri.includes(uriPart))!.response.body.data;

const row = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/a',
  type: 'microsoft.sql/servers',
};

describe('seeds', () => {
  it.each([
    [
      'a REST answer',
      { totalRecords: 1, count: 1, data: [row], facets: [], resultTruncated: 'false' },
    ],
    ['`az graph query` output', { count: 1, data: [row], skip_token: null, total_records: 1 }],
    ['a bare array of rows', [row]],
    [
      'a table answer',
      {
        data: {
          columns: [
            { name: 'id', type: 'string' },
            { name: 'type', type: 'string' },
          ],
          rows: [[row.id, row.type]],
        },
      },
    ],
  ])('reads %s', (_, answer) => {
    expect(rowsOfAnswer(answer)).toEqual([row]);
  });

  it('reads a table answer Resource Graph really gave', () => {
    const rows = rowsOfAnswer(recorded('Microsoft.ResourceGraph/resources'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.type === 'microsoft.storage/storageaccounts')).toBe(true);
  });

  it.each([
    [42, 'neither a Resource Graph answer nor an array of rows'],
    [{ data: 'x' }, 'neither a Resource Graph answer nor an array of rows'],
    [[{ id: 'no-slash', type: 't' }], 'row 0 has no resource id'],
    [[{ id: '/x' }], 'row 0 (/x) has no "type"'],
    [{ data: { columns: [{}], rows: [] } }, 'column 0 has no name'],
  ])('refuses %j', (answer, message) => {
    expect(() => rowsOfAnswer(answer)).toThrow(SeedError);
    expect(() => rowsOfAnswer(answer)).toThrow(message);
  });
});

describe('the ARM view of a Resource Graph row', () => {
  it('has the fields ARM answered for the same resource, and its canonical-case type', () => {
    const [graphRow] = rowsOfAnswer(recorded('Microsoft.ResourceGraph/resources'));
    const arm = (
      recorded('Microsoft.Storage/storageAccounts?') as { value: Record<string, unknown>[] }
    ).value.find((r) => String(r['id']).toLowerCase() === graphRow!.id.toLowerCase())!;
    const view = armBody(graphRow!);
    expect(Object.keys(view).sort()).toEqual(Object.keys(arm).sort());
    expect(view['type']).toBe(arm['type']);
  });
});
