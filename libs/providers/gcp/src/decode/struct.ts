import { isObject, type JsonObject } from './values.js';

/**
 * The Node client (@google-cloud/asset over gRPC) returns `resource.data` as a protobuf
 * Struct: `{fields: {key: Value}}`, each Value one of nullValue | numberValue | stringValue |
 * boolValue | structValue | listValue (`{values: [Value]}`); protobufjs may add the name of
 * the set member as `kind`.
 * https://protobuf.dev/reference/protobuf/google.protobuf/#struct
 * https://cloud.google.com/nodejs/docs/reference/asset/latest/asset/protos.google.protobuf.istruct
 */
export function isStruct(value: unknown): value is { fields: JsonObject } {
  if (!isObject(value) || !isObject(value['fields'])) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && Object.values(value['fields']).every(isValueShape);
}

const VALUE_KINDS = [
  'nullValue',
  'numberValue',
  'stringValue',
  'boolValue',
  'structValue',
  'listValue',
] as const;

function isValueShape(value: unknown): boolean {
  return isObject(value) && VALUE_KINDS.some((kind) => value[kind] !== undefined);
}

/** Thrown on a Struct that breaks the Value rules; the caller turns it into a NormalizeError. */
export class StructError extends Error {
  override readonly name = 'StructError';
}

/** The plain JSON object a Struct stands for. */
export function decodeStruct(struct: unknown, path = 'data'): JsonObject {
  if (!isObject(struct) || !isObject(struct['fields'])) {
    throw new StructError(`${path} is not a protobuf Struct`);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(struct['fields'])) {
    out[key] = decodeValue(value, `${path}.${key}`);
  }
  return out;
}

function decodeValue(value: unknown, path: string): unknown {
  if (!isObject(value)) throw new StructError(`${path} is not a protobuf Value`);
  const set = VALUE_KINDS.filter((kind) => value[kind] !== undefined && value[kind] !== null);
  // protobufjs names the member in `kind`; a nullValue of 0 / "NULL_VALUE" may come alone.
  const kind = typeof value['kind'] === 'string' ? value['kind'] : set[0];
  if (set.length > 1) throw new StructError(`${path} sets more than one Value member`);
  switch (kind) {
    case 'nullValue':
      return null;
    case 'numberValue':
      return typed(value['numberValue'], 'number', path);
    case 'stringValue':
      return typed(value['stringValue'], 'string', path);
    case 'boolValue':
      return typed(value['boolValue'], 'boolean', path);
    case 'structValue':
      return decodeStruct(value['structValue'], path);
    case 'listValue': {
      const list = value['listValue'];
      const values = isObject(list) ? (list['values'] ?? []) : undefined;
      if (!Array.isArray(values)) throw new StructError(`${path} is not a protobuf ListValue`);
      return values.map((item, index) => decodeValue(item, `${path}[${index}]`));
    }
    default:
      if (value['nullValue'] === null) return null;
      throw new StructError(`${path} is a protobuf Value with no member set`);
  }
}

function typed(value: unknown, type: 'number' | 'string' | 'boolean', path: string): unknown {
  if (typeof value !== type) throw new StructError(`${path} is not a ${type}`);
  return value;
}
