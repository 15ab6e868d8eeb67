import type { PipelineLogger } from '@drift-detective/pipeline';
import type { Change } from '@drift-detective/resource-model';
import { isAbort } from '../arm/call-errors.js';
import { withChildren } from '../arm/children.js';
import type { AzureClients } from '../arm/clients.js';
import { mapLimit } from '@drift-detective/pipeline';
import { idKey } from '../decode/arm-id.js';
import { asText, isObject, type JsonObject } from '../decode/json.js';
import { attributed, isNotRead, notRead } from '../envelope/attributed.js';
import { latestChanges } from './change-attribution.js';

export interface PageDocumentOptions {
  readonly clients: Pick<AzureClients, 'armList' | 'resourceGraph'>;
  readonly subscription: string;
  /** ARM reads in flight for the children of the page's rows. */
  readonly concurrency: number;
  /** Whether to look up who changed each resource (one resourcechanges query per page). */
  readonly attribute: boolean;
  readonly logger?: Pick<PipelineLogger, 'warn'> | undefined;
  readonly signal?: AbortSignal | undefined;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A row with its children, or, when a child read failed, a not-read
 * envelope in its place: judged without its containers or firewall rules,
 * the resource would be judged on unknowns (and an open finding resolved
 * for nothing); skipped, it keeps its findings, and the sweep resolves no
 * deletion.
 */
async function expand(row: JsonObject, options: PageDocumentOptions): Promise<unknown[]> {
  try {
    const { body, children } = await withChildren(options.clients, row, options.signal);
    return [body, ...children];
  } catch (error) {
    if (isAbort(error)) throw error;
    const id = asText(row['id']) ?? '?';
    options.logger?.warn(
      { resourceId: id, error: describe(error) },
      'children of a resource could not be read: resource skipped',
    );
    return [notRead(id, asText(row['type']) ?? '?', describe(error))];
  }
}

/** Who changed the rows; nothing (and a warning) when the changes cannot be read: attribution is extra. */
async function changesOf(
  rows: readonly JsonObject[],
  options: PageDocumentOptions,
): Promise<Map<string, Change>> {
  const ids = rows.flatMap((row) => asText(row['id']) ?? []);
  if (!options.attribute || ids.length === 0) return new Map();
  try {
    return await latestChanges(options.clients, options.subscription, ids, options.signal);
  } catch (error) {
    if (isAbort(error)) throw error;
    options.logger?.warn(
      { error: describe(error) },
      'resource changes could not be read: page not attributed',
    );
    return new Map();
  }
}

/**
 * The one document a sweep page carries (the azure inventory reads it
 * whole, so a container finds its account's facts in it): the page's rows in
 * their order — each with its newest recorded change when there is one —
 * each followed by the children ARM holds and Resource Graph does not.
 * Rows that are no object stay as they are, for the inventory to report.
 */
export async function pageDocument(
  rows: readonly unknown[],
  options: PageDocumentOptions,
): Promise<unknown[]> {
  const objects = rows.filter(isObject);
  const [expanded, changes] = await Promise.all([
    mapLimit(objects, options.concurrency, (row) => expand(row, options)),
    changesOf(objects, options),
  ]);
  const byRow = new Map(objects.map((row, index) => [row, expanded[index] ?? []]));
  return rows.flatMap((row) => {
    if (!isObject(row)) return [row];
    const [body, ...children] = byRow.get(row) ?? [row];
    const id = asText(row['id']);
    const change = id === null ? undefined : changes.get(idKey(id));
    const attributable = change !== undefined && isObject(body) && !isNotRead(body);
    return [attributable ? attributed(body, change) : body, ...children];
  });
}
