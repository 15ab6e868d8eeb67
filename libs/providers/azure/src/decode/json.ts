import { NormalizeError } from '@drift-detective/resource-model';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object, or null for anything else (absent, wrong type). */
export function asObject(value: unknown): JsonObject | null {
  return isObject(value) ? value : null;
}

/** The string, or null for anything else. Empty strings are kept. */
export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A non-empty string, or null: ARM writes "" where a value was never set (e.g. linuxFxVersion on Windows apps). */
export function asText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The boolean, or null: a string "true" is not a boolean the API sends, so it is unknown. */
export function asBoolean(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** An integer, or null. */
export function asInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/**
 * A list of strings, or null when absent or when any item is not a string: dropping
 * one bad item could remove exactly the entry that matters ("*"), so the whole
 * list becomes unknown.
 */
export function asStringList(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.every((item): item is string => typeof item === 'string') ? [...value] : null;
}

/** Reads a nested value; undefined as soon as a step is not an object. */
export function at(value: unknown, ...path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Whether `value` has `key` as its own property. */
export function has(value: JsonObject, key: string): boolean {
  return Object.hasOwn(value, key);
}

/** Parses JSON text found inside a record; a text that does not parse makes the record unreadable. */
export function parseJsonText(text: string, source: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new NormalizeError(source, `${what} is a JSON string that does not parse`, {
      cause: error,
    });
  }
}

/** Sorted copy without duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
