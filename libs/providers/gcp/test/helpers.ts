import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createInventoryContext,
  NormalizeError,
  SCAN_TIME,
  type InventoryContext,
  type NativeRecord,
  type Resource,
} from '@drift-detective/resource-model';
import { gcpInventory } from '../src/index.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const CORPUS = path.join(FIXTURES, 'corpus');
export const NATIVE = path.join(FIXTURES, 'native');

export const SCAN_STARTED = '2026-01-15T06:00:00Z';

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** A copied corpus file: `gcpCorpus('cai-export-sql-public-ip.json')`. */
export function gcpCorpus(name: string): unknown {
  return readJson(path.join(CORPUS, 'gcp', name));
}

export function otherCorpus(cloud: 'aws' | 'azure', name: string): unknown {
  return readJson(path.join(CORPUS, cloud, name));
}

/** A hand-written fixture from test/fixtures/native. */
export function nativeFixture(name: string): unknown {
  return readJson(path.join(NATIVE, name));
}

export function nativeFixtureNames(): string[] {
  return readdirSync(NATIVE).filter((f) => f.endsWith('.json'));
}

export function gcpCorpusNames(): string[] {
  return readdirSync(path.join(CORPUS, 'gcp')).filter((f) => f.endsWith('.json'));
}

/** Deep copy, so a test can change a fixture without touching another test's copy. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The REST body of a recorded flight ({headers, body}); the flight envelope is a test concern. */
export function flightBody(name: string): Record<string, unknown> {
  return (gcpCorpus(name) as { body: Record<string, unknown> }).body;
}

/**
 * A REST resource wrapped the way Cloud Asset Inventory carries it: `resource.data` is the
 * service's REST representation. https://cloud.google.com/asset-inventory/docs/reference/rest/v1/assets/list#Asset
 */
export function asAsset(
  body: unknown,
  assetType: string,
  name: string,
  resource: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name, assetType, resource: { ...resource, data: body } };
}

/** JSON → protobuf Struct, as the Node client (@google-cloud/asset) returns resource.data. */
export function toStruct(value: Record<string, unknown>): { fields: Record<string, unknown> } {
  const fields: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) fields[key] = toValue(item);
  return { fields };
}

function toValue(value: unknown): Record<string, unknown> {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  return { structValue: toStruct(value as Record<string, unknown>) };
}

/** A context with the scan time set, as the offline scan prepares it. */
export function scanContext(): InventoryContext {
  const context = createInventoryContext();
  context.set(SCAN_TIME, SCAN_STARTED);
  return context;
}

export interface ScanResult {
  readonly resources: Resource[];
  readonly errors: { source: string; reason: string; name: string }[];
}

/** The scan's two passes over documents, then the leftovers: what the CLI does with a file. */
export function scan(
  documents: readonly { document: unknown; source: string }[],
  context: InventoryContext = scanContext(),
): ScanResult {
  const records = documents.flatMap(({ document, source }) =>
    gcpInventory.unwrap(document, source),
  );
  const toNormalize = records.filter((record) => !gcpInventory.collect(record, context));
  const resources: Resource[] = [];
  const errors: ScanResult['errors'] = [];
  for (const record of toNormalize) {
    try {
      resources.push(gcpInventory.normalize(record, context));
    } catch (error) {
      if (!(error instanceof NormalizeError)) throw error;
      errors.push({ source: error.source, reason: error.reason, name: error.name });
    }
  }
  resources.push(...gcpInventory.leftovers(context));
  return { resources, errors };
}

/** Normalizes one document (all its records, merged) and expects exactly one resource. */
export function normalizeOne(document: unknown, source = 'test.json'): Resource {
  const { resources, errors } = scan([{ document, source }]);
  if (errors.length > 0) throw new Error(`unexpected errors: ${JSON.stringify(errors)}`);
  if (resources.length !== 1) throw new Error(`expected one resource, got ${resources.length}`);
  return must(resources[0]);
}

/** The lines of the newline-delimited export a JSON array of export records stands for. */
export function toNdjsonLines(records: readonly unknown[]): string[] {
  return records.map((record) => JSON.stringify(record));
}

/** Resources by id, for lookups in table tests. */
export function byId(resources: readonly Resource[]): Map<string, Resource> {
  return new Map(resources.map((r) => [r.id, r]));
}

/** Expected top-level fields and a subset of the properties of a resource. */
export type Expected<R extends Resource> = Omit<Partial<R>, 'properties'> & {
  properties?: Partial<R['properties']>;
};

/** The value, or a test failure naming what was missing (instead of a non-null assertion). */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`missing ${what}`);
  return value;
}

/** The one native record a document unwraps to. */
export function oneRecord(document: unknown, source = 'test.json'): NativeRecord {
  const records = gcpInventory.unwrap(document, source);
  if (records.length !== 1) throw new Error(`expected one record, got ${records.length}`);
  return must(records[0]);
}
