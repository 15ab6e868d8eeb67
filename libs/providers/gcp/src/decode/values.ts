/** Type guards and readers for untrusted JSON: every reader returns null for a value it cannot use. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object field, or null when the value is absent or not an object. */
export function objectAt(value: unknown): JsonObject | null {
  return isObject(value) ? value : null;
}

/**
 * The first key present (not undefined) among `names`: export files spell proto fields in
 * snake_case (`asset_type`), the API, feeds and gcloud in camelCase (`assetType`).
 * https://protobuf.dev/programming-guides/json/ (parsers accept both the proto name and the lowerCamelCase JSON name)
 */
export function pick(object: JsonObject, ...names: string[]): unknown {
  for (const name of names) {
    if (object[name] !== undefined) return object[name];
  }
  return undefined;
}

/** A non-empty string, else null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** A list of strings; null when the value is not an array or holds anything but strings. */
export function stringList(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.every((item): item is string => typeof item === 'string') ? value : null;
}

/**
 * A repeated field: absent is the empty list (proto3 JSON omits empty repeated fields,
 * https://protobuf.dev/programming-guides/json/). JSON null and anything but an array of
 * strings are unreadable (null): a list emptied by a serializer quirk must not read as "none".
 */
export function repeatedStrings(value: unknown): string[] | null {
  if (value === undefined) return [];
  return stringList(value);
}

/** Sorted, without duplicates: for lists whose order carries no meaning. */
export function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** snake_case proto field name → lowerCamelCase JSON name (`discovery_document_uri` → `discoveryDocumentUri`). */
export function camelName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Renames every object key to its JSON name, all the way down. Only for proto messages (no user-chosen keys). */
export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) out[camelName(key)] = camelizeKeys(item);
  return out;
}

/** Code-unit order, independent of the process locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
