import type { Change } from '@drift-detective/resource-model';
import type { AzureClients } from '../arm/clients.js';
import { idKey } from '../decode/arm-id.js';
import { asObject, asText, isObject } from '../decode/json.js';
import { toRfc3339Utc } from '../decode/time.js';
import { resourceChangesQuery } from './kql.js';
import { allRows, MAX_PAGE_SIZE } from './query-pages.js';

/** Ids per resourcechanges query: keeps each query text a few tens of kB at most. */
export const MAX_IDS_PER_QUERY = 200;

/**
 * Who made a change, and how: the change actor fields of a change record —
 * changedBy (a user's e-mail or an application id), clientType (the client
 * that sent it: "Azure Portal", "Azure CLI"…) and operation (the RBAC
 * operation called, "Microsoft.Storage/storageAccounts/write").
 * https://learn.microsoft.com/azure/governance/resource-graph/changes/get-resource-changes#understand-change-event-properties
 * The resource model's Change has one field for the actor, so client and
 * operation are written after it: "alice@contoso.com (Azure Portal,
 * Microsoft.Storage/storageAccounts/write)".
 */
function actorOf(attributes: Record<string, unknown>): string | undefined {
  const changedBy = asText(attributes['changedBy']);
  const how = [asText(attributes['clientType']), asText(attributes['operation'])].filter(
    (part): part is string => part !== null,
  );
  if (changedBy === null) return how.length > 0 ? `unknown (${how.join(', ')})` : undefined;
  return how.length > 0 ? `${changedBy} (${how.join(', ')})` : changedBy;
}

/**
 * The property changes of a record: `changes` maps a property path
 * ("properties.allowBlobPublicAccess", "tags.key1") to previousValue and
 * newValue, which Resource Graph writes as text (an absent value as
 * "null" or left out). Sorted by path, as the AWS ChangedFields are.
 */
function fieldsOf(changes: unknown): NonNullable<Change['fields']> {
  const entries = isObject(changes) ? Object.entries(changes) : [];
  return entries
    .filter(([, detail]) => isObject(detail))
    .map(([path, detail]) => {
      const d = detail as Record<string, unknown>;
      return { path, before: d['previousValue'] ?? null, after: d['newValue'] ?? null };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * One resourcechanges row as a Change: changedBy (with client and
 * operation), changedAt (changeAttributes.timestamp), changeType (Create /
 * Update / Delete, lower-cased like the AWS diff's), fields, and the ARM
 * correlation id as the related event (the Activity Log entry of the same
 * operation carries it). null for a row without a target.
 */
export function changeOfRow(row: unknown): { targetId: string; change: Change } | null {
  const properties = isObject(row) ? asObject(row['properties']) : null;
  const targetId = asText(properties?.['targetResourceId']);
  if (!properties || targetId === null) return null;
  const attributes = asObject(properties['changeAttributes']) ?? {};
  const change: Change = {};
  const changedBy = actorOf(attributes);
  if (changedBy !== undefined) change.changedBy = changedBy;
  const changedAt = toRfc3339Utc(attributes['timestamp']);
  if (changedAt !== null) change.changedAt = changedAt;
  const changeType = asText(properties['changeType']);
  if (changeType !== null) change.changeType = changeType.toLowerCase();
  const fields = fieldsOf(properties['changes']);
  if (fields.length > 0) change.fields = fields;
  const correlationId = asText(attributes['correlationId']);
  if (correlationId !== null) change.relatedEvents = [correlationId];
  return { targetId, change };
}

/**
 * The newest recorded change of each resource, by lower-case id: one
 * resourcechanges query per MAX_IDS_PER_QUERY ids, rows newest first, so
 * the first row of a target is its newest change. Resource Graph keeps
 * changes for 14 days: a resource unchanged since then has none.
 * https://learn.microsoft.com/azure/governance/resource-graph/changes/get-resource-changes
 */
export async function latestChanges(
  clients: Pick<AzureClients, 'resourceGraph'>,
  subscription: string,
  resourceIds: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Change>> {
  const latest = new Map<string, Change>();
  const ids = [...new Set(resourceIds)];
  for (let start = 0; start < ids.length; start += MAX_IDS_PER_QUERY) {
    const rows = await allRows(
      clients,
      {
        query: resourceChangesQuery(ids.slice(start, start + MAX_IDS_PER_QUERY)),
        operation: 'Resource Graph query (resourcechanges)',
        scope: { subscriptions: [subscription] },
        top: MAX_PAGE_SIZE,
      },
      signal,
    );
    for (const row of rows) {
      const found = changeOfRow(row);
      if (found && !latest.has(idKey(found.targetId)))
        latest.set(idKey(found.targetId), found.change);
    }
  }
  return latest;
}
