// Between the two spellings of a protobuf message the stand-in meets:
//  - proto3 JSON (https://protobuf.dev/programming-guides/json/): what `gcloud asset export`
//    writes and what the REST API answers — Timestamps as RFC 3339 strings, a Struct as a
//    plain JSON object, field names in snake_case (export files) or lowerCamelCase;
//  - the object form @grpc/proto-loader encodes and decodes: lowerCamelCase names, a Timestamp
//    as {seconds, nanos}, a Struct as {fields: {k: {stringValue: …}}}.
// The walk is driven by the message descriptors proto-loader hands out, so any message of
// the loaded protos converts, without a second protobuf library.
import type { PackageDefinition } from '@grpc/proto-loader';

interface FieldDescriptor {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly typeName: string;
}

interface MessageDescriptor {
  readonly name: string;
  readonly field: readonly FieldDescriptor[];
  readonly nestedType: readonly MessageDescriptor[];
  readonly options: { readonly mapEntry?: boolean } | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, unknown>;

export class ProtoJsonError extends Error {
  override readonly name = 'ProtoJsonError';
}

const isRecord = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/** protobufjs's camelCase: `discovery_document_uri` → `discoveryDocumentUri`. */
const camel = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Every message type of a package definition, nested ones included, by full name. */
export class Descriptors {
  private readonly messages = new Map<string, MessageDescriptor>();

  constructor(definition: PackageDefinition) {
    for (const [name, entry] of Object.entries(definition)) {
      if ('format' in entry && entry.format === 'Protocol Buffer 3 DescriptorProto') {
        this.index(name, entry.type as MessageDescriptor);
      }
    }
  }

  private index(fullName: string, message: MessageDescriptor): void {
    this.messages.set(fullName, message);
    for (const nested of message.nestedType) this.index(`${fullName}.${nested.name}`, nested);
  }

  message(fullName: string): MessageDescriptor {
    const found = this.messages.get(fullName);
    if (found === undefined) throw new ProtoJsonError(`no message type ${fullName}`);
    return found;
  }

  /**
   * The full name of a field's message type. Descriptors name types relative to the
   * enclosing scope (`protobuf.Timestamp` inside google.cloud.asset.v1.Asset), resolved
   * innermost scope first as protoc does: https://protobuf.dev/programming-guides/proto3/#packages-and-name-resolution
   */
  resolve(scope: string, typeName: string): string {
    if (typeName.startsWith('.')) return typeName.slice(1);
    const parts = scope.split('.');
    for (let i = parts.length; i >= 0; i -= 1) {
      const candidate = [...parts.slice(0, i), typeName].join('.');
      if (this.messages.has(candidate)) return candidate;
    }
    throw new ProtoJsonError(`cannot resolve ${typeName} from ${scope}`);
  }
}

/** The `value` field of a map entry type (maps are repeated entries on the wire). */
function mapValueField(entry: MessageDescriptor): FieldDescriptor {
  const field = entry.field.find((f) => f.name === 'value');
  if (field === undefined) throw new ProtoJsonError(`map entry ${entry.name} has no value field`);
  return field;
}

const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (t) => `google.protobuf.${t}Value`,
  ),
);

// ---- proto3 JSON → object form --------------------------------------------------------

function valueFromJson(json: unknown): Obj {
  if (json === null) return { nullValue: 'NULL_VALUE' };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: { values: json.map(valueFromJson) } };
  if (isRecord(json)) return { structValue: structFromJson(json) };
  throw new ProtoJsonError(`${typeof json} is not a JSON value`);
}

export function structFromJson(json: Obj): Obj {
  return {
    fields: Object.fromEntries(Object.entries(json).map(([k, v]) => [k, valueFromJson(v)])),
  };
}

/** RFC 3339 → {seconds, nanos}, keeping sub-millisecond digits. */
export function timestampFromJson(text: unknown, where: string): Obj {
  if (typeof text !== 'string')
    throw new ProtoJsonError(`${where}: a Timestamp is an RFC 3339 string`);
  const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i.exec(text);
  const ms = match === null ? Number.NaN : Date.parse(`${match[1]}${match[3]}`);
  if (match === null || Number.isNaN(ms))
    throw new ProtoJsonError(`${where}: ${text} is not an RFC 3339 time`);
  return { seconds: String(Math.floor(ms / 1000)), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

function durationFromJson(text: unknown, where: string): Obj {
  const match = typeof text === 'string' ? /^(-?\d+)(?:\.(\d{1,9}))?s$/.exec(text) : null;
  if (match === null) throw new ProtoJsonError(`${where}: a Duration is a string like "1.5s"`);
  return { seconds: match[1], nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

function wellKnownFromJson(type: string, json: unknown, where: string): Obj | undefined {
  switch (type) {
    case 'google.protobuf.Struct':
      if (!isRecord(json)) throw new ProtoJsonError(`${where}: a Struct is a JSON object`);
      return structFromJson(json);
    case 'google.protobuf.Value':
      return valueFromJson(json);
    case 'google.protobuf.ListValue':
      if (!Array.isArray(json)) throw new ProtoJsonError(`${where}: a ListValue is a JSON array`);
      return { values: json.map(valueFromJson) };
    case 'google.protobuf.Timestamp':
      return timestampFromJson(json, where);
    case 'google.protobuf.Duration':
      return durationFromJson(json, where);
    case 'google.protobuf.FieldMask':
      return { paths: typeof json === 'string' && json !== '' ? json.split(',') : [] };
    default:
      return WRAPPERS.has(type) ? { value: json } : undefined;
  }
}

/** A proto3 JSON message (snake_case or lowerCamelCase names) → proto-loader's object form. */
export function messageFromJson(d: Descriptors, type: string, json: unknown, where = type): Obj {
  const known = wellKnownFromJson(type, json, where);
  if (known !== undefined) return known;
  if (!isRecord(json)) throw new ProtoJsonError(`${where}: ${type} is a JSON object`);
  const message = d.message(type);
  const out: Obj = {};
  for (const [key, value] of Object.entries(json)) {
    const name = camel(key);
    const field = message.field.find((f) => f.name === name);
    if (field === undefined) throw new ProtoJsonError(`${where}: ${type} has no field ${key}`);
    if (value === null && field.type !== 'TYPE_MESSAGE') continue;
    out[name] = fieldFromJson(d, type, field, value, `${where}.${key}`);
  }
  return out;
}

function fieldFromJson(
  d: Descriptors,
  scope: string,
  field: FieldDescriptor,
  value: unknown,
  where: string,
): unknown {
  if (field.type !== 'TYPE_MESSAGE') {
    // Scalars, enums (by name or number), int64 as string and bytes as base64 are what
    // protobufjs's fromObject accepts already.
    return value;
  }
  const type = d.resolve(scope, field.typeName);
  const target = d.message(type);
  if (target.options?.mapEntry === true) {
    if (!isRecord(value)) throw new ProtoJsonError(`${where}: a map is a JSON object`);
    const valueField = mapValueField(target);
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        fieldFromJson(d, type, valueField, v, `${where}.${k}`),
      ]),
    );
  }
  if (field.label === 'LABEL_REPEATED') {
    if (!Array.isArray(value))
      throw new ProtoJsonError(`${where}: a repeated field is a JSON array`);
    return value.map((item, i) => messageFromJson(d, type, item, `${where}[${i}]`));
  }
  return messageFromJson(d, type, value, where);
}

// ---- object form → proto3 JSON --------------------------------------------------------

function valueToJson(value: Obj): Json {
  if ('structValue' in value) return structToJson(value['structValue'] as Obj);
  if ('listValue' in value)
    return (((value['listValue'] as Obj)['values'] ?? []) as Obj[]).map(valueToJson);
  if ('stringValue' in value) return value['stringValue'] as string;
  if ('numberValue' in value) return value['numberValue'] as number;
  if ('boolValue' in value) return value['boolValue'] as boolean;
  return null;
}

export function structToJson(struct: Obj): { [key: string]: Json } {
  const fields = (struct['fields'] ?? {}) as Record<string, Obj>;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, valueToJson(v)]));
}

/** {seconds, nanos} → RFC 3339 with as many fraction digits as needed (0, 3, 6 or 9). */
export function timestampToJson(ts: Obj): string {
  const seconds = Number(ts['seconds'] ?? 0);
  const nanos = Number(ts['nanos'] ?? 0);
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (nanos === 0) return `${base}Z`;
  const digits = String(nanos).padStart(9, '0');
  const fraction = digits.endsWith('000000')
    ? digits.slice(0, 3)
    : digits.endsWith('000')
      ? digits.slice(0, 6)
      : digits;
  return `${base}.${fraction}Z`;
}

function wellKnownToJson(type: string, value: Obj): Json | undefined {
  switch (type) {
    case 'google.protobuf.Struct':
      return structToJson(value);
    case 'google.protobuf.Value':
      return valueToJson(value);
    case 'google.protobuf.ListValue':
      return ((value['values'] ?? []) as Obj[]).map(valueToJson);
    case 'google.protobuf.Timestamp':
      return timestampToJson(value);
    case 'google.protobuf.Duration': {
      const nanos = Number(value['nanos'] ?? 0);
      return `${String(value['seconds'] ?? 0)}${nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`}s`;
    }
    case 'google.protobuf.FieldMask':
      return ((value['paths'] ?? []) as string[]).join(',');
    default:
      return WRAPPERS.has(type) ? (value['value'] as Json) : undefined;
  }
}

function scalarToJson(value: unknown): Json {
  return Buffer.isBuffer(value) ? value.toString('base64') : (value as Json);
}

/** proto-loader's object form → proto3 JSON (lowerCamelCase names, as the REST API answers). */
export function messageToJson(d: Descriptors, type: string, value: Obj): Json {
  const known = wellKnownToJson(type, value);
  if (known !== undefined) return known;
  const message = d.message(type);
  const out: { [key: string]: Json } = {};
  for (const field of message.field) {
    const item = value[field.name];
    if (item === undefined || item === null) continue;
    out[field.name] = fieldToJson(d, type, field, item);
  }
  return out;
}

function fieldToJson(d: Descriptors, scope: string, field: FieldDescriptor, value: unknown): Json {
  if (field.type !== 'TYPE_MESSAGE') {
    return Array.isArray(value) ? value.map(scalarToJson) : scalarToJson(value);
  }
  const type = d.resolve(scope, field.typeName);
  const target = d.message(type);
  if (target.options?.mapEntry === true) {
    const valueField = mapValueField(target);
    return Object.fromEntries(
      Object.entries(value as Obj).map(([k, v]) => [k, fieldToJson(d, type, valueField, v)]),
    );
  }
  if (Array.isArray(value)) return value.map((item) => messageToJson(d, type, item as Obj));
  return messageToJson(d, type, value as Obj);
}
