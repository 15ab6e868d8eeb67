// The resources the stand-in holds, each in Resource Graph's row shape, and
// which Resource Graph table (if any) a row belongs to
// (https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources).
import { idKey, subscriptionOf, typeFromId } from './arm-ids.js';
import { changeRow, configurationChanged, type ChangeActor } from './changes.js';
import type { Row } from './seed.js';

export type GraphTable =
  'resources' | 'authorizationresources' | 'resourcechanges' | 'resourcecontainers';

/**
 * Child types Resource Graph does not hold: ARM answers them, the graph does
 * not (blob services and containers, SQL firewall rules).
 */
const ARM_ONLY_TYPES = new Set([
  'microsoft.storage/storageaccounts/blobservices',
  'microsoft.storage/storageaccounts/blobservices/containers',
  'microsoft.sql/servers/firewallrules',
]);

/** The table a row of this type lives in; undefined when Resource Graph does not hold it. */
export function tableOf(type: string): GraphTable | undefined {
  const lower = type.toLowerCase();
  if (ARM_ONLY_TYPES.has(lower)) return undefined;
  if (lower === 'microsoft.authorization/roledefinitions') return 'authorizationresources';
  if (lower === 'microsoft.resources/changes') return 'resourcechanges';
  if (lower === 'microsoft.resources/subscriptions') return 'resourcecontainers';
  return 'resources';
}

/** Fields Resource Graph adds that an ARM GET never returns. */
const GRAPH_ONLY_FIELDS = ['subscriptionId', 'resourceGroup', 'tenantId'];
/** Envelope fields Resource Graph projects on every row, null or '' when the resource has none. */
const GRAPH_PADDED_FIELDS = [
  'kind',
  'location',
  'managedBy',
  'sku',
  'plan',
  'tags',
  'identity',
  'zones',
  'extendedLocation',
];

/** The resource as ARM GET answers it: canonical-case type, no Resource Graph fields. */
export function armBody(row: Row): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (GRAPH_ONLY_FIELDS.includes(key)) continue;
    if (GRAPH_PADDED_FIELDS.includes(key) && (value === null || value === '')) continue;
    body[key] = value;
  }
  body['type'] = typeFromId(row.id) ?? row.type;
  return body;
}

export const rowSubscription = (row: Row): string | undefined =>
  typeof row['subscriptionId'] === 'string' && row['subscriptionId'] !== ''
    ? row['subscriptionId']
    : subscriptionOf(row.id);

export class Inventory {
  private readonly byId = new Map<string, Row>();
  private readonly changes: Row[] = [];

  constructor(
    rows: readonly Row[],
    readonly tenantId: string,
    private readonly extraSubscriptions: readonly string[] = [],
  ) {
    this.load(rows);
  }

  /**
   * Replaces every resource. Change rows in `rows` join the history; each
   * resource created, changed or gone gets a change row of its own. The history
   * is kept, as Resource Graph keeps 14 days of it.
   */
  replace(rows: readonly Row[], actor: ChangeActor): Row[] {
    const before = new Map(this.byId);
    this.byId.clear();
    this.load(rows);
    const made: Row[] = [];
    for (const [key, row] of this.byId) {
      const old = before.get(key);
      if (old === undefined) made.push(changeRow(undefined, row, actor, this.tenantId));
      else if (configurationChanged(old, row)) made.push(changeRow(old, row, actor, this.tenantId));
    }
    for (const [key, old] of before) {
      if (!this.byId.has(key)) made.push(changeRow(old, undefined, actor, this.tenantId));
    }
    this.changes.push(...made);
    return made;
  }

  /** Creates or replaces one resource; the change row, or null when nothing changed. */
  upsert(row: Row, actor: ChangeActor): Row | null {
    const key = idKey(row.id);
    const old = this.byId.get(key);
    this.byId.set(key, row);
    if (old !== undefined && !configurationChanged(old, row)) return null;
    const change = changeRow(old, row, actor, this.tenantId);
    this.changes.push(change);
    return change;
  }

  /** Deletes one resource; its change row, or null when it was not held. */
  remove(id: string, actor: ChangeActor): Row | null {
    const old = this.byId.get(idKey(id));
    if (old === undefined) return null;
    this.byId.delete(idKey(id));
    const change = changeRow(old, undefined, actor, this.tenantId);
    this.changes.push(change);
    return change;
  }

  get(id: string): Row | undefined {
    return this.byId.get(idKey(id));
  }

  all(): Row[] {
    return [...this.byId.values()];
  }

  /** Resources whose id is `{collectionPath}/{name}`: an ARM child collection. */
  children(collectionPath: string): Row[] {
    const prefix = `${idKey(collectionPath)}/`;
    return this.all().filter((row) => {
      const key = idKey(row.id);
      return key.startsWith(prefix) && !key.slice(prefix.length).includes('/');
    });
  }

  /** The nearest held resource the path lies under (or is). */
  ancestorOf(path: string): Row | undefined {
    const key = idKey(path);
    return this.all()
      .filter((row) => key === idKey(row.id) || key.startsWith(`${idKey(row.id)}/`))
      .sort((a, b) => b.id.length - a.id.length)[0];
  }

  /** Every subscription any resource lies in, plus those named in the options. */
  subscriptions(): string[] {
    const found = new Map<string, string>();
    for (const sub of [...this.all().map(rowSubscription), ...this.extraSubscriptions]) {
      if (sub !== undefined && !found.has(sub.toLowerCase())) found.set(sub.toLowerCase(), sub);
    }
    return [...found.values()];
  }

  /** The rows of one Resource Graph table. */
  table(table: GraphTable): Row[] {
    if (table === 'resourcechanges') return [...this.changes];
    if (table === 'resourcecontainers') {
      return this.subscriptions().map((sub) => ({
        id: `/subscriptions/${sub}`,
        name: sub,
        type: 'microsoft.resources/subscriptions',
        tenantId: this.tenantId,
        subscriptionId: sub,
        properties: { state: 'Enabled' },
      }));
    }
    return this.all().filter((row) => tableOf(row.type) === table);
  }

  private load(rows: readonly Row[]): void {
    for (const row of rows) {
      if (tableOf(row.type) === 'resourcechanges') this.changes.push(row);
      else this.byId.set(idKey(row.id), row);
    }
  }
}
