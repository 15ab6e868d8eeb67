import { createRequire } from 'node:module';
import { protobuf } from 'google-gax';
import { toUtcTimestamp } from '../decode/time.js';
import { isObject, type JsonObject } from '../decode/values.js';

/**
 * The client's Asset objects in the proto3 JSON form, the one the REST API
 * and `gcloud asset list --format=json` answer
 * (https://protobuf.dev/programming-guides/json/).
 *
 * Why: the Node client decodes with proto-loader's `defaults: true`
 * (google-gax GrpcClient.defaultOptions), so every absent field comes back
 * filled in — `orgPolicy: []` on a RESOURCE record, `resourceUrl: ""`,
 * `osInventory: null` — bytes as Buffers (an IAM policy's etag), Timestamps as
 * `{seconds, nanos}` and Structs as `{fields}`. Handed on as they are, the
 * empty `orgPolicy` of a project's RESOURCE record would stand for "no org
 * policy" and replace the policies its ORG_POLICY record set (context.ts), and
 * `native` would differ from what an export holds. proto3 JSON omits fields
 * at their default, so the same asset read from an export, from the REST API
 * or through this client normalizes to the same Resource.
 */
const require = createRequire(import.meta.url);
// The descriptors the client itself is built from (its build/protos/protos.json).
const root = protobuf.Root.fromJSON(
  require('@google-cloud/asset/build/protos/protos.json') as protobuf.INamespace,
);
const ASSET = root.lookupType('google.cloud.asset.v1.Asset');

/** One google.cloud.asset.v1.Asset from the client → its proto3 JSON object. */
export function assetToJson(asset: unknown): JsonObject {
  return messageToJson(ASSET, asset);
}

function messageToJson(type: protobuf.Type, value: unknown): JsonObject {
  const out: JsonObject = {};
  if (!isObject(value)) return out;
  for (const field of type.fieldsArray) {
    const item = value[field.name];
    if (item === undefined || item === null) continue;
    // A member of a real oneof is present when set, even at its default (Value.nullValue).
    const inOneof = field.partOf !== null && field.partOf.oneof.length > 0;
    const json = fieldToJson(field, item, inOneof);
    if (json !== undefined) out[field.name] = json;
  }
  return out;
}

/** undefined: the field is at its default and proto3 JSON leaves it out. */
function fieldToJson(field: protobuf.Field, value: unknown, present: boolean): unknown {
  field.resolve();
  if (field.map) {
    if (!isObject(value) || Object.keys(value).length === 0) return undefined;
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = singleToJson(field, item, true);
    return out;
  }
  if (field.repeated) {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    return value.map((item) => singleToJson(field, item, true));
  }
  return singleToJson(field, value, present);
}

function singleToJson(field: protobuf.Field, value: unknown, present: boolean): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    // enums: String (GrpcClient.defaultOptions); a number for a value newer than the protos.
    const name = typeof value === 'number' ? (resolved.valuesById[value] ?? value) : value;
    return !present && (name === 0 || resolved.values[String(name)] === 0) ? undefined : name;
  }
  if (resolved instanceof protobuf.Type) return wellKnownToJson(resolved, value);
  return scalarToJson(field.type, value, present);
}

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function scalarToJson(type: string, value: unknown, present: boolean): unknown {
  if (type === 'bytes') {
    const bytes = value instanceof Uint8Array ? Buffer.from(value) : null;
    if (bytes === null)
      return typeof value === 'string' && (present || value !== '') ? value : undefined;
    return present || bytes.length > 0 ? bytes.toString('base64') : undefined;
  }
  if (INT64.has(type)) {
    // longs: String; a Long object (other loader options) prints the same way.
    const text = String(value);
    return present || text !== '0' ? text : undefined;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // "NaN", "Infinity"
  if (!present && (value === '' || value === 0 || value === false)) return undefined;
  return value;
}

/** Messages, the well-known types in their JSON forms (https://protobuf.dev/programming-guides/json/#wkt). */
function wellKnownToJson(type: protobuf.Type, value: unknown): unknown {
  switch (type.fullName) {
    case '.google.protobuf.Timestamp':
      return timestampToJson(value);
    case '.google.protobuf.Duration':
      return durationToJson(value);
    case '.google.protobuf.Struct':
      return structToJson(value);
    case '.google.protobuf.Value':
      return valueToJson(value);
    case '.google.protobuf.ListValue':
      return listToJson(value);
    case '.google.protobuf.FieldMask': {
      const paths = isObject(value) && Array.isArray(value['paths']) ? value['paths'] : [];
      return paths.map(String).join(',');
    }
    case '.google.protobuf.Any':
      // No Any in an Asset today; kept readable rather than dropped.
      return isObject(value)
        ? { '@type': value['typeUrl'], value: scalarToJson('bytes', value['value'], true) }
        : value;
    default:
      if (type.fullName.startsWith('.google.protobuf.') && type.fullName.endsWith('Value')) {
        // Wrappers (BoolValue, Int64Value…) are their value.
        const inner = type.fields['value'];
        return inner === undefined || !isObject(value)
          ? value
          : singleToJson(inner, value['value'], true);
      }
      return messageToJson(type, value);
  }
}

/** RFC 3339 UTC with 0, 3, 6 or 9 fractional digits, as the JSON printers write it. */
function timestampToJson(value: unknown): unknown {
  const base = isObject(value)
    ? toUtcTimestamp({ seconds: String(value['seconds'] ?? 0), nanos: value['nanos'] ?? 0 })
    : null;
  if (base === null || !isObject(value)) return value;
  const nanos = Number(value['nanos'] ?? 0);
  const whole = base.replace(/\.\d+Z$/, 'Z');
  if (nanos === 0) return whole;
  const digits = String(nanos).padStart(9, '0');
  const fraction =
    nanos % 1_000_000 === 0 ? digits.slice(0, 3) : nanos % 1000 === 0 ? digits.slice(0, 6) : digits;
  return whole.replace(/Z$/, `.${fraction}Z`);
}

function durationToJson(value: unknown): unknown {
  if (!isObject(value)) return value;
  const seconds = BigInt(String(value['seconds'] ?? 0));
  const nanos = Number(value['nanos'] ?? 0);
  const negative = seconds < 0n || nanos < 0;
  const abs = (seconds < 0n ? -seconds : seconds).toString();
  const fraction =
    nanos === 0
      ? ''
      : `.${String(Math.abs(nanos))
          .padStart(9, '0')
          .replace(/(000)+$/, '')}`;
  return `${negative ? '-' : ''}${abs}${fraction}s`;
}

function structToJson(value: unknown): JsonObject {
  const out: JsonObject = {};
  const fields = isObject(value) && isObject(value['fields']) ? value['fields'] : {};
  for (const [key, item] of Object.entries(fields)) out[key] = valueToJson(item);
  return out;
}

function listToJson(value: unknown): unknown[] {
  const values = isObject(value) && Array.isArray(value['values']) ? value['values'] : [];
  return values.map(valueToJson);
}

/** One google.protobuf.Value: the member its `kind` names (oneofs: true), else the one set. */
function valueToJson(value: unknown): unknown {
  if (!isObject(value)) return null;
  const kind =
    typeof value['kind'] === 'string'
      ? value['kind']
      : ['structValue', 'listValue', 'stringValue', 'numberValue', 'boolValue'].find(
          (member) => value[member] !== undefined && value[member] !== null,
        );
  switch (kind) {
    case 'structValue':
      return structToJson(value['structValue']);
    case 'listValue':
      return listToJson(value['listValue']);
    case 'stringValue':
    case 'boolValue':
      return value[kind];
    case 'numberValue': {
      const number = value['numberValue'];
      return typeof number === 'number' && !Number.isFinite(number) ? String(number) : number;
    }
    default:
      return null;
  }
}
