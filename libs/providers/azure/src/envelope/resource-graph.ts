import { NormalizeError } from '@drift-detective/resource-model';
import { asText, isObject, type JsonObject } from '../decode/json.js';

/**
 * Keys of a Resource Graph answer: the REST QueryResponse (totalRecords, count,
 * data, facets, resultTruncated, $skipToken) and `az graph query` output (count,
 * data, skip_token, total_records).
 * https://learn.microsoft.com/en-us/rest/api/azureresourcegraph/resourcegraph/resources/resources#queryresponse
 * https://learn.microsoft.com/en-us/cli/azure/graph#az-graph-query
 */
const ANSWER_KEYS = new Set([
  'data',
  'count',
  'totalRecords',
  'total_records',
  'resultTruncated',
  'facets',
  '$skipToken',
  'skipToken',
  'skip_token',
]);

/**
 * resultFormat "table" answers {columns: [{name, type}], rows: [[…]]}: positional
 * rows. "objectArray" answers a list of row objects.
 * https://learn.microsoft.com/en-us/rest/api/azureresourcegraph/resourcegraph/resources/resources#resultformat
 */
export function isTable(value: unknown): value is { columns: unknown[]; rows: unknown[] } {
  return isObject(value) && Array.isArray(value['columns']) && Array.isArray(value['rows']);
}

/** Whether an object is a Resource Graph answer: only answer keys, with `data` a list or a table. */
export function isResourceGraphAnswer(value: unknown): boolean {
  if (!isObject(value) || !Object.hasOwn(value, 'data')) return false;
  if (!Object.keys(value).every((key) => ANSWER_KEYS.has(key))) return false;
  return Array.isArray(value['data']) || isTable(value['data']);
}

/** Whether the answer says anything beyond `data` (a count, facets…). */
export function hasAnswerMetadata(value: JsonObject): boolean {
  return Object.keys(value).some((key) => key !== 'data');
}

/** The rows of an answer as objects: a table's positional rows are zipped with its column names. */
export function rowsOf(answer: JsonObject, source: string): unknown[] {
  const data = answer['data'];
  if (Array.isArray(data)) return data;
  if (!isTable(data)) throw new NormalizeError(source, 'Resource Graph answer has no data');
  const names = data.columns.map((column) => asText(isObject(column) ? column['name'] : null));
  if (names.some((name) => name === null)) {
    throw new NormalizeError(source, 'Resource Graph table has a column without a name');
  }
  return data.rows.map((row) => {
    // A row that is not a list stays as it is; normalizing it reports the problem.
    if (!Array.isArray(row)) return row;
    return Object.fromEntries(
      names.flatMap((name, i) => (i < row.length ? [[name as string, row[i] as unknown]] : [])),
    );
  });
}

/** Column names of a table answer, for detect. */
export function columnNames(value: unknown): string[] {
  if (!isTable(value)) return [];
  return value.columns.flatMap((column) => {
    const name = isObject(column) ? asText(column['name']) : null;
    return name === null ? [] : [name];
  });
}
