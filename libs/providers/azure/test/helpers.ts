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
import { azureInventory } from '../src/index.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const NATIVE = path.join(FIXTURES, 'native');
export const CORPUS = path.join(FIXTURES, 'corpus');
export const SCAN_STARTED = '2024-05-01T06:00:00.000Z';

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/** A hand-written fixture, parsed (NDJSON files are returned as text). */
export function native(name: string): unknown {
  const text = readText(path.join(NATIVE, name));
  return name.endsWith('.ndjson') ? text : (JSON.parse(text) as unknown);
}

export function nativeFiles(): string[] {
  return readdirSync(NATIVE)
    .filter((f) => f.endsWith('.json') || f.endsWith('.ndjson'))
    .sort();
}

export function corpusFile(relative: string): unknown {
  return JSON.parse(readText(path.join(CORPUS, relative))) as unknown;
}

export function corpusFiles(cloud: 'azure' | 'aws' | 'gcp'): string[] {
  return readdirSync(path.join(CORPUS, cloud))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${cloud}/${f}`);
}

interface Cassette {
  interactions: { response: { body: { data?: unknown; string?: string } } }[];
}

/**
 * The response bodies of a vcrpy cassette: `body.data` (already parsed) or
 * `body.string` (raw JSON text). The cassette is how the corpus stores
 * recordings, not an input the provider reads.
 */
export function cassetteBodies(relative: string): { source: string; body: unknown }[] {
  const cassette = corpusFile(relative) as Cassette;
  return cassette.interactions.map((interaction, index) => {
    const { body } = interaction.response;
    const parsed = body.string !== undefined ? (JSON.parse(body.string) as unknown) : body.data;
    return { source: `${path.basename(relative)}#${index}`, body: parsed };
  });
}

export function newContext(): InventoryContext {
  const context = createInventoryContext();
  context.set(SCAN_TIME, SCAN_STARTED);
  return context;
}

export interface ScanResult {
  records: NativeRecord[];
  /** Records collect() took as context only. */
  contextOnly: NativeRecord[];
  resources: Resource[];
  /** NormalizeErrors of records that could not be read. */
  errors: NormalizeError[];
  leftovers: Resource[];
}

/**
 * What a scan does with documents: unwrap all, collect all, normalize the rest,
 * then take the leftovers. Only NormalizeError is caught.
 */
export function scan(
  documents: { body: unknown; source: string }[],
  context = newContext(),
): ScanResult {
  const records = documents.flatMap(({ body, source }) => azureInventory.unwrap(body, source));
  const contextOnly = records.filter((r) => azureInventory.collect(r, context));
  const resources: Resource[] = [];
  const errors: NormalizeError[] = [];
  for (const record of records) {
    if (contextOnly.includes(record)) continue;
    try {
      resources.push(azureInventory.normalize(record, context));
    } catch (error) {
      if (!(error instanceof NormalizeError)) throw error;
      errors.push(error);
    }
  }
  return { records, contextOnly, resources, errors, leftovers: azureInventory.leftovers(context) };
}

/** Scan of one document. */
export function scanOne(body: unknown, source = 'fixture.json'): ScanResult {
  return scan([{ body, source }]);
}

/** The one resource of a fixture (or the one with that name). */
export function only(result: ScanResult, name?: string): Resource {
  const matches = name ? result.resources.filter((r) => r.name === name) : result.resources;
  if (matches.length !== 1) {
    throw new Error(`expected one resource${name ? ` named ${name}` : ''}, got ${matches.length}`);
  }
  return matches[0] as Resource;
}

/** Narrows a resource to a kind, failing the test otherwise. */
export function ofKind<K extends Resource['kind']>(
  resource: Resource,
  kind: K,
): Extract<Resource, { kind: K }> {
  if (resource.kind !== kind) throw new Error(`${resource.id} is ${resource.kind}, not ${kind}`);
  return resource as Extract<Resource, { kind: K }>;
}

/** The value, failing the test when it is missing. */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
