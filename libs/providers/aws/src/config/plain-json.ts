import { setKey } from '../decode/values.js';

/** A value JSON.stringify writes and JSON.parse gives back unchanged. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * An SDK answer as plain JSON, the way the wire carried it. The AWS SDK for
 * JavaScript turns every timestamp member (configurationItemCaptureTime,
 * resourceCreationTime, configurationItemDeliveryTime…) into a Date; the
 * documents a sweep emits are saved, logged and compared as JSON, so each Date
 * becomes its ISO 8601 text, as captureTimeToRfc3339 reads it
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_BaseConfigurationItem.html).
 * Members the SDK left undefined are dropped (the wire omits absent members).
 * Throws TypeError, naming the path, on what JSON cannot hold (an invalid
 * Date, NaN, a bigint, a function, a class instance), rather than letting
 * JSON.stringify silently turn it into null or {}.
 */
export function toPlainJson(value: unknown, path = '$'): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a JSON number`);
    return value;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`${path}: invalid Date`);
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    return value.map((entry, index) => {
      if (entry === undefined) throw new TypeError(`${path}[${index}]: undefined in a list`);
      return toPlainJson(entry, `${path}[${index}]`);
    });
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const result: { [key: string]: JsonValue } = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry === undefined) continue;
      // setKey: a "__proto__" key from the wire stays a key, not the prototype.
      setKey(result, key, toPlainJson(entry, `${path}.${key}`));
    }
    return result;
  }
  throw new TypeError(`${path}: ${describeType(value)} is not JSON`);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeType(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null) {
    return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  }
  return `a ${typeof value}`;
}
