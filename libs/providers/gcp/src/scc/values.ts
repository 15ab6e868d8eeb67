import type { protos } from '@google-cloud/security-center';

export type ProtoValue = protos.google.protobuf.IValue;

/** Our cap on one text value; SCC documents none per field, only 500 MB of finding uploads a day (https://cloud.google.com/security-command-center/quotas). */
export const MAX_TEXT = 4000;

export function cut(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Deeper than this, a value is sent as its JSON text: a field diff is read, not walked. */
const MAX_DEPTH = 6;

/**
 * A JSON value as google.protobuf.Value, the type of every source property
 * (map<string, google.protobuf.Value>:
 * https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings#Finding.FIELDS.source_properties),
 * in the object form the client encodes ({stringValue}, {structValue: {fields}}, …).
 * What JSON cannot carry (undefined, a function, a non-finite number) becomes
 * null or its text; long strings are cut.
 */
export function toValue(value: unknown, depth = 0): ProtoValue {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'string') return { stringValue: cut(value) };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number')
    return Number.isFinite(value) ? { numberValue: value } : { stringValue: String(value) };
  if (typeof value === 'bigint') return { stringValue: value.toString() };
  if (depth >= MAX_DEPTH) return { stringValue: cut(JSON.stringify(value) ?? '') };
  if (Array.isArray(value))
    return { listValue: { values: value.map((v) => toValue(v, depth + 1)) } };
  if (typeof value === 'object') return { structValue: { fields: toFields(value, depth + 1) } };
  return { nullValue: 'NULL_VALUE' };
}

function toFields(value: object, depth: number): Record<string, ProtoValue> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, toValue(v, depth)]),
  );
}

export const text = (value: string): ProtoValue => ({ stringValue: cut(value) });
