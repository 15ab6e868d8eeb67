// Reads the rows of a Resource Graph answer in the shapes people have one in:
// the REST answer (https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources:
// `{totalRecords, count, data, …}`, `data` an object array or a `{columns, rows}`
// table), what `az graph query` prints (snake_case `total_records`,
// `skip_token`: https://learn.microsoft.com/cli/azure/graph#az-graph-query),
// or a bare array of rows.

export type Row = Record<string, unknown> & { readonly id: string; readonly type: string };

export class SeedError extends Error {
  override readonly name = 'SeedError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function tableRows(table: Record<string, unknown>): unknown[] {
  const columns = table['columns'];
  const rows = table['rows'];
  if (!Array.isArray(columns) || !Array.isArray(rows)) {
    throw new SeedError('data is neither an array of rows nor a {columns, rows} table');
  }
  const names = columns.map((c, i) => {
    if (!isRecord(c) || typeof c['name'] !== 'string')
      throw new SeedError(`column ${i} has no name`);
    return c['name'];
  });
  return rows.map((cells, r) => {
    if (!Array.isArray(cells)) throw new SeedError(`table row ${r} is not an array`);
    return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
  });
}

/** The rows of a Resource Graph answer; throws SeedError saying what is wrong with it. */
export function rowsOfAnswer(answer: unknown): Row[] {
  let data: unknown = answer;
  if (isRecord(answer)) {
    if (!('data' in answer)) throw new SeedError('the answer has no "data"');
    data = answer['data'];
  }
  const rows = Array.isArray(data)
    ? data
    : isRecord(data)
      ? tableRows(data)
      : (() => {
          throw new SeedError('the answer is neither a Resource Graph answer nor an array of rows');
        })();
  return rows.map((row, i) => {
    if (!isRecord(row)) throw new SeedError(`row ${i} is not an object`);
    if (typeof row['id'] !== 'string' || !row['id'].startsWith('/')) {
      throw new SeedError(`row ${i} has no resource id ("id" starting with "/")`);
    }
    if (typeof row['type'] !== 'string' || row['type'] === '') {
      throw new SeedError(`row ${i} (${row['id']}) has no "type"`);
    }
    return row as Row;
  });
}
