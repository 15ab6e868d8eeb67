// Change records in the shape Resource Graph's `resourcechanges` table holds
// them (https://learn.microsoft.com/azure/governance/resource-graph/how-to/get-resource-changes):
// a `microsoft.resources/changes` row extending the changed resource, with
// properties.targetResourceId/targetResourceType/changeType, changeAttributes
// (timestamp, changedBy, clientType, operation, snapshot ids, changesCount) and
// `changes`: property path → {previousValue, newValue, propertyChangeType,
// changeCategory}.
import { randomUUID } from 'node:crypto';
import { resourceGroupOf, subscriptionOf, typeFromId } from './arm-ids.js';
import type { Row } from './seed.js';

export interface ChangeActor {
  /** Who made the change; default drift-standin@example.com. */
  readonly changedBy?: string;
  /** Which client; default "Azure Portal". */
  readonly clientType?: string;
  /** Which operation; default `<type>/write` (or `/delete`) from the resource's type. */
  readonly operation?: string;
}

export const DEFAULT_ACTOR = { changedBy: 'drift-standin@example.com', clientType: 'Azure Portal' };

interface PropertyChange {
  readonly propertyChangeType: 'Insert' | 'Update' | 'Remove';
  readonly changeCategory: 'User';
  readonly previousValue?: unknown;
  readonly newValue?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Leaf paths that differ: objects by `.name`, arrays by `[i]`, as the documented examples write them. */
function diff(
  before: unknown,
  after: unknown,
  prefix: string,
  out: Record<string, PropertyChange>,
) {
  const join = (key: string | number): string =>
    typeof key === 'number' ? `${prefix}[${key}]` : prefix === '' ? key : `${prefix}.${key}`;
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      diff(before[key], after[key], join(key), out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
      diff(before[i], after[i], join(i), out);
    }
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (before === undefined) {
    out[prefix] = { propertyChangeType: 'Insert', changeCategory: 'User', newValue: after };
  } else if (after === undefined) {
    out[prefix] = { propertyChangeType: 'Remove', changeCategory: 'User', previousValue: before };
  } else {
    out[prefix] = {
      propertyChangeType: 'Update',
      changeCategory: 'User',
      previousValue: before,
      newValue: after,
    };
  }
}

/** What Resource Graph adds to a row; never part of the resource's own configuration. */
const GRAPH_ONLY = new Set(['id', 'subscriptionId', 'resourceGroup', 'tenantId']);

const configuration = (row: Row): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).filter(([key]) => !GRAPH_ONLY.has(key)));

/** True when the resource's configuration differs (Resource Graph's own fields aside). */
export function configurationChanged(before: Row, after: Row): boolean {
  const changes: Record<string, PropertyChange> = {};
  diff(configuration(before), configuration(after), '', changes);
  return Object.keys(changes).length > 0;
}

const snapshotId = (at: Date): string => `${at.getTime()}_${randomUUID()}`;

/** The change row for a resource created (no before), updated, or deleted (no after). */
export function changeRow(
  before: Row | undefined,
  after: Row | undefined,
  actor: ChangeActor,
  tenantId: string,
): Row {
  const target = after ?? before;
  if (target === undefined) throw new Error('a change needs the resource before or after it');
  const changeType = before === undefined ? 'Create' : after === undefined ? 'Delete' : 'Update';
  const changes: Record<string, PropertyChange> = {};
  if (before !== undefined && after !== undefined) {
    diff(configuration(before), configuration(after), '', changes);
  }
  const at = new Date();
  const canonicalType = typeFromId(target.id) ?? target.type;
  const changeId = randomUUID();
  const changeAttributes = {
    ...(before !== undefined ? { previousResourceSnapshotId: snapshotId(at) } : {}),
    ...(after !== undefined ? { newResourceSnapshotId: snapshotId(at) } : {}),
    correlationId: randomUUID(),
    changedByType: 'User',
    changesCount: Object.keys(changes).length,
    clientType: actor.clientType ?? DEFAULT_ACTOR.clientType,
    changedBy: actor.changedBy ?? DEFAULT_ACTOR.changedBy,
    operation:
      actor.operation ?? `${canonicalType}/${changeType === 'Delete' ? 'delete' : 'write'}`,
    timestamp: at.toISOString(),
  };
  const subscriptionId = subscriptionOf(target.id);
  const resourceGroup = resourceGroupOf(target.id);
  return {
    id: `${target.id}/providers/Microsoft.Resources/changes/${changeId}`,
    name: changeId,
    type: 'microsoft.resources/changes',
    tenantId,
    ...(subscriptionId !== undefined ? { subscriptionId } : {}),
    ...(resourceGroup !== undefined ? { resourceGroup } : {}),
    properties: {
      targetResourceId: target.id,
      targetResourceType: target.type.toLowerCase(),
      changeType,
      changeAttributes,
      changes,
    },
  };
}
