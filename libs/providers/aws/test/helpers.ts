import { readdirSync, readFileSync } from 'node:fs';
import {
  createInventoryContext,
  NormalizeError,
  SCAN_TIME,
  type InventoryContext,
  type Kind,
  type NativeRecord,
  type PropertiesOf,
  type Resource,
} from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import { expect } from 'vitest';
import { awsInventory } from '../src/index.js';

const CORPUS = new URL('./fixtures/corpus/', import.meta.url);
const NATIVE = new URL('./fixtures/native/', import.meta.url);

/** The scan time the tests put in the context, for records without a capture time. */
export const SCAN_STARTED = '2026-11-01T08:00:00.000Z';

export function readJson(url: URL): unknown {
  return JSON.parse(readFileSync(url, 'utf8')) as unknown;
}

/** A copied corpus file, e.g. corpus('aws/rdk-ci-s3-bucket.json'). */
export function corpus(path: string): unknown {
  return readJson(new URL(path, CORPUS));
}

export function corpusFiles(cloud: 'aws' | 'azure' | 'gcp'): string[] {
  return readdirSync(new URL(`${cloud}/`, CORPUS))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => `${cloud}/${name}`);
}

/** A hand-written fixture, e.g. native('dd-net-001-violating-ssh-open.json'). */
export function native(name: string): unknown {
  return readJson(new URL(name, NATIVE));
}

export function nativeFiles(): string[] {
  return readdirSync(NATIVE)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function scanContext(): InventoryContext {
  const context = createInventoryContext();
  context.set(SCAN_TIME, SCAN_STARTED);
  return context;
}

export interface ScanResult {
  readonly records: NativeRecord[];
  readonly resources: Resource[];
  readonly context: InventoryContext;
  readonly contextOnly: NativeRecord[];
  readonly errors: NormalizeError[];
}

/** What the offline scan does with one document: unwrap, collect every record, normalize the rest. */
export function scan(document: unknown, source: string, context = scanContext()): ScanResult {
  const records = awsInventory.unwrap(document, source);
  const contextOnly = records.filter((record) => awsInventory.collect(record, context));
  const resources: Resource[] = [];
  const errors: NormalizeError[] = [];
  for (const record of records) {
    if (contextOnly.includes(record)) continue;
    try {
      resources.push(awsInventory.normalize(record, context));
    } catch (error) {
      if (!(error instanceof NormalizeError)) throw error;
      errors.push(error);
    }
  }
  return { records, resources, context, contextOnly, errors };
}

/** The single resource a document normalizes to, checked against the JSON Schema. */
export function normalizeOne(document: unknown, source: string, context = scanContext()): Resource {
  const result = scan(document, source, context);
  if (result.errors.length > 0) throw result.errors[0];
  expect(result.resources).toHaveLength(1);
  const [resource] = result.resources;
  assertValidResource(resource, source);
  return resource as Resource;
}

/** The properties of a resource of the expected kind. */
export function propertiesOf<K extends Kind>(resource: Resource, kind: K): PropertiesOf<K> {
  expect(resource.kind).toBe(kind);
  return resource.properties as PropertiesOf<K>;
}

/** The error normalize throws for the only record of a document. */
export function normalizeError(document: unknown, source: string): NormalizeError {
  const records = awsInventory.unwrap(document, source);
  expect(records).toHaveLength(1);
  try {
    awsInventory.normalize(records[0] as NativeRecord, scanContext());
  } catch (error) {
    if (error instanceof NormalizeError) return error;
    throw error;
  }
  throw new Error(`${source}: expected a NormalizeError`);
}

/**
 * Strings in `native` that still hold a JSON object or list, or a URL-encoded
 * one: the decoded item must have none left.
 */
export function encodedStrings(value: unknown, path = 'native'): string[] {
  if (typeof value === 'string') {
    const text = value.trim();
    const encoded = /^[[{]/.test(text) || /^"[[{]/.test(text) || /^%7B/i.test(text);
    return encoded ? [`${path}: ${text.slice(0, 40)}`] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((entry, i) => encodedStrings(entry, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, entry]) => encodedStrings(entry, `${path}.${key}`));
  }
  return [];
}

/** The value, or a failed test when it is missing. */
export function defined<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
