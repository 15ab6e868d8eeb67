/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a string, else null. */
export function stringOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The value when it is a non-empty string, else null. */
export function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The value when it is a boolean, else null (unknown). */
export function booleanOr(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** An own property of a JSON object; never a property inherited from Object.prototype. */
export function own(object: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** Whether the object has the key itself. */
export function has(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * Sets a key on a map built from input keys. Plain assignment would treat a
 * "__proto__" key as the prototype; defining the property keeps it a key.
 */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Compares strings by code unit, the same on every machine (no locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
