import {
  NormalizeError,
  observedAtOr,
  type Change,
  type InventoryContext,
  type Kind,
  type NativeRecord,
  type PropertiesOf,
  type ResourceOf,
} from '@drift-detective/resource-model';
import { isAttributed, isNotRead, readChange } from '../envelope/attributed.js';
import { lastSegment, subscriptionOf } from './arm-id.js';
import { asObject, asText, at, isObject, parseJsonText, type JsonObject } from './json.js';
import { toRfc3339Utc } from './time.js';

/** An ARM GET body or Resource Graph row, decoded and checked. */
export interface ArmRecord {
  readonly source: string;
  /** The record as read, with JSON-in-string columns decoded. */
  readonly native: JsonObject;
  /** ARM id in its original case. */
  readonly id: string;
  /** Type as the record spells it (lower case from Resource Graph). */
  readonly type: string;
  /** `properties`, or {} when absent or not an object. */
  readonly properties: JsonObject;
  /** The change that made the resource what it is, when an attributed envelope carried one. */
  readonly change?: Change;
}

/**
 * Columns that hold objects (KQL `dynamic`). Resource Graph returns them as objects,
 * but exports carry them as JSON text: the portal's CSV download, or a query that
 * projects `tostring(properties)`.
 * https://learn.microsoft.com/en-us/azure/governance/resource-graph/first-query-portal#download-query-results-as-a-csv-file
 * https://learn.microsoft.com/en-us/kusto/query/tostring-function
 */
const OBJECT_COLUMNS = ['properties', 'tags', 'identity', 'sku', 'plan', 'systemData', 'zones'];

function decodeColumns(value: JsonObject, source: string): JsonObject {
  let decoded: JsonObject | null = null;
  for (const key of OBJECT_COLUMNS) {
    if (!Object.hasOwn(value, key)) continue;
    const column = value[key];
    if (typeof column !== 'string') continue;
    const text = column.trim();
    const looksJson = text.startsWith('{') || text.startsWith('[');
    // An empty cell is an absent value.
    if (text === '') continue;
    if (!looksJson) {
      if (key === 'properties') throw new NormalizeError(source, 'properties is text, not JSON');
      continue;
    }
    decoded ??= { ...value };
    decoded[key] = parseJsonText(text, source, key);
  }
  return decoded ?? value;
}

/**
 * Reads one native record: an ARM body or Resource Graph row, or one wrapped
 * in an attributed envelope (envelope/attributed.ts). Throws NormalizeError
 * when it is not an object, has no id or no type, carries a JSON column that
 * does not parse, or is a resource that could not be read.
 */
export function readArmRecord(record: NativeRecord): ArmRecord {
  const { source } = record;
  let value = record.value;
  if (typeof value === 'string') value = parseJsonText(value, source, 'record');
  if (isNotRead(value)) {
    throw new NormalizeError(source, `${value.id} could not be read: ${value.reason}`);
  }
  let change: Change | undefined;
  if (isAttributed(value)) {
    change = readChange(value.change);
    value = value.resource;
  }
  if (!isObject(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    throw new NormalizeError(source, `record is ${what}, not an ARM resource object`);
  }
  const native = decodeColumns(value, source);
  const id = asText(native['id']);
  if (id === null) throw new NormalizeError(source, 'record has no ARM id (`id`)');
  const type = asText(native['type']);
  if (type === null) throw new NormalizeError(source, `record ${id} has no type (\`type\`)`);
  const properties = asObject(native['properties']) ?? {};
  return { source, native, id, type, properties, ...(change ? { change } : {}) };
}

/** Tags as a string map; null or absent tags are {} (Resource Graph writes null). */
export function tagsOf(native: JsonObject): Record<string, string> {
  const tags = asObject(native['tags']);
  if (!tags) return {};
  return Object.fromEntries(
    Object.entries(tags).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** What every resource carries, filled from the common ARM fields. */
export function armResource<K extends Kind>(
  arm: ArmRecord,
  context: InventoryContext,
  kind: K,
  nativeType: string,
  properties: PropertiesOf<K>,
  overrides: { region?: string | null; name?: string } = {},
): ResourceOf<K> {
  const { native } = arm;
  const subscription = asText(native['subscriptionId']) ?? subscriptionOf(arm.id) ?? '';
  // ARM bodies and Resource Graph rows carry no capture time; systemData.lastModifiedAt
  // is the last write, when the provider reports it.
  // https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-contracts.md#system-metadata-for-all-azure-resources
  const lastModified = toRfc3339Utc(at(native, 'systemData', 'lastModifiedAt'));
  return {
    provider: 'azure',
    kind,
    nativeType,
    id: arm.id,
    name: overrides.name ?? asText(native['name']) ?? lastSegment(arm.id),
    account: subscription,
    region: overrides.region !== undefined ? overrides.region : asText(native['location']),
    tags: tagsOf(native),
    observedAt: observedAtOr(context, lastModified),
    properties,
    native,
    ...(arm.change ? { change: arm.change } : {}),
  } as unknown as ResourceOf<K>;
}
