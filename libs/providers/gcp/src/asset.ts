import { NormalizeError } from '@drift-detective/resource-model';
import { decodeStruct, isStruct, StructError } from './decode/struct.js';
import { toUtcTimestamp } from './decode/time.js';
import {
  camelName,
  camelizeKeys,
  isObject,
  pick,
  stringList,
  text,
  type JsonObject,
} from './decode/values.js';

/**
 * One Cloud Asset Inventory asset, whatever spelling it came in.
 * https://cloud.google.com/asset-inventory/docs/reference/rest/v1/assets/list#Asset
 */
export interface CaiAsset {
  /** Full resource name: "//storage.googleapis.com/my-bucket". */
  readonly name: string;
  readonly assetType: string;
  /** The RESOURCE part; null when the record carries none (an IAM_POLICY or ORG_POLICY record). */
  readonly resource: CaiResource | null;
  /** The IAM_POLICY part as given (camelCase keys); null when the record carries none. */
  readonly iamPolicy: JsonObject | null;
  /** The ORG_POLICY part (orgpolicy v1 Policy list, camelCase keys); null when absent. */
  readonly orgPolicies: JsonObject[] | null;
  /** "projects/123", "folders/456", "organizations/789", nearest first; null when absent. */
  readonly ancestors: string[] | null;
  /** update_time as RFC 3339 UTC, null when absent or unreadable. */
  readonly updateTime: string | null;
  /** The asset with proto field names in their JSON (camelCase) spelling and resource.data decoded. */
  readonly native: JsonObject;
}

export interface CaiResource {
  /** The REST resource of the service (decoded from a Struct when needed); null when absent. */
  readonly data: JsonObject | null;
  readonly location: string | null;
  readonly parent: string | null;
}

/** A record as unwrapped: a bare asset, or a TemporalAsset (feed, batchGetAssetsHistory). */
export interface AssetRecord {
  readonly asset: CaiAsset;
  /** window.startTime of a TemporalAsset, RFC 3339 UTC. */
  readonly windowStart: string | null;
  /** TemporalAsset.deleted. */
  readonly deleted: boolean;
  /** What a feed message says of the asset before this change; null when it says nothing. */
  readonly prior: PriorAsset | null;
}

/**
 * TemporalAsset.prior_asset_state: PRESENT (prior_asset holds the state before), INVALID (Cloud
 * Asset failed to set it), DOES_NOT_EXIST (this is the first known state), DELETED (the asset
 * was deleted before). Only feed messages set it.
 * https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#google.cloud.asset.v1.TemporalAsset.PriorAssetState
 */
export type PriorAssetState = 'PRESENT' | 'INVALID' | 'DOES_NOT_EXIST' | 'DELETED';

export interface PriorAsset {
  readonly state: PriorAssetState;
  /** prior_asset, only with PRESENT; null when absent or unreadable. */
  readonly asset: CaiAsset | null;
}

/**
 * A TemporalAsset wraps the asset with its time window and deletion flag.
 * https://cloud.google.com/asset-inventory/docs/reference/rest/v1/TopLevel/batchGetAssetsHistory#TemporalAsset
 */
export function isTemporalAsset(value: JsonObject): boolean {
  return (
    value['name'] === undefined &&
    (isObject(value['asset']) ||
      value['window'] !== undefined ||
      value['deleted'] !== undefined ||
      pick(value, 'priorAsset', 'prior_asset', 'priorAssetState', 'prior_asset_state') !==
        undefined)
  );
}

/** Reads one record; throws NormalizeError naming the source and the problem. */
export function readRecord(value: unknown, source: string): AssetRecord {
  if (!isObject(value)) throw new NormalizeError(source, 'record is not a JSON object');
  if (!isTemporalAsset(value)) {
    return { asset: readAsset(value, source), windowStart: null, deleted: false, prior: null };
  }
  const deleted = value['deleted'];
  // proto3 JSON reads null as the default (false). https://protobuf.dev/programming-guides/json/
  if (deleted !== undefined && deleted !== null && typeof deleted !== 'boolean') {
    throw new NormalizeError(source, 'TemporalAsset.deleted is not a boolean');
  }
  if (!isObject(value['asset'])) throw new NormalizeError(source, 'TemporalAsset has no asset');
  const window = value['window'];
  return {
    asset: readAsset(value['asset'], source),
    windowStart: isObject(window) ? toUtcTimestamp(pick(window, 'startTime', 'start_time')) : null,
    deleted: deleted === true,
    prior: readPrior(value, source),
  };
}

/** The enum by name (proto3 JSON) or by number (a client decoding enums as numbers). */
const PRIOR_STATES: Readonly<Record<string, PriorAssetState>> = {
  PRESENT: 'PRESENT',
  INVALID: 'INVALID',
  DOES_NOT_EXIST: 'DOES_NOT_EXIST',
  DELETED: 'DELETED',
  '1': 'PRESENT',
  '2': 'INVALID',
  '3': 'DOES_NOT_EXIST',
  '4': 'DELETED',
};

/**
 * priorAssetState and priorAsset. The prior state only describes the change, so a prior asset
 * that cannot be read costs the change its fields, never the message its judgement.
 */
function readPrior(value: JsonObject, source: string): PriorAsset | null {
  const raw = pick(value, 'priorAssetState', 'prior_asset_state');
  const state =
    typeof raw === 'string' || typeof raw === 'number' ? PRIOR_STATES[String(raw)] : undefined;
  if (state === undefined) return null;
  const priorAsset = pick(value, 'priorAsset', 'prior_asset');
  let asset: CaiAsset | null = null;
  if (state === 'PRESENT' && isObject(priorAsset)) {
    try {
      asset = readAsset(priorAsset, source);
    } catch (error) {
      if (!(error instanceof NormalizeError)) throw error;
    }
  }
  return { state, asset };
}

function readAsset(value: JsonObject, source: string): CaiAsset {
  const name = value['name'];
  if (typeof name !== 'string' || !name.startsWith('//') || name.length <= 2) {
    throw new NormalizeError(
      source,
      'asset has no full resource name ("//service.googleapis.com/…")',
    );
  }
  const assetType = text(pick(value, 'assetType', 'asset_type'));
  if (assetType === null) throw new NormalizeError(source, `asset ${name} has no asset type`);

  const resource = readResource(value, source, name);
  const iamPolicy = pick(value, 'iamPolicy', 'iam_policy');
  if (iamPolicy !== undefined && iamPolicy !== null && !isObject(iamPolicy)) {
    throw new NormalizeError(source, `asset ${name}: iam_policy is not an object`);
  }
  const orgPolicy = pick(value, 'orgPolicy', 'org_policy');
  const orgPolicies =
    Array.isArray(orgPolicy) && orgPolicy.every(isObject)
      ? (camelizeKeys(orgPolicy) as JsonObject[])
      : null;

  const camelIam = isObject(iamPolicy) ? (camelizeKeys(iamPolicy) as JsonObject) : null;
  // native speaks the API's spelling: top-level names, and the IAM and org policies (proto
  // messages without map fields) all the way down. Other parts keep their keys, which may be
  // user-chosen (OS inventory items are keyed by id).
  const native: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const jsonName = camelName(key);
    if (jsonName === 'name' || jsonName === 'assetType' || jsonName === 'resource') continue;
    native[jsonName] =
      jsonName === 'iamPolicy'
        ? (camelIam ?? item)
        : jsonName === 'orgPolicy'
          ? camelizeKeys(item)
          : item;
  }
  return {
    name,
    assetType,
    resource: resource?.resource ?? null,
    iamPolicy: camelIam,
    orgPolicies,
    ancestors: stringList(value['ancestors']),
    updateTime: toUtcTimestamp(pick(value, 'updateTime', 'update_time')),
    native: {
      name,
      assetType,
      ...native,
      ...(resource === null ? {} : { resource: resource.native }),
    },
  };
}

function readResource(
  asset: JsonObject,
  source: string,
  name: string,
): { resource: CaiResource; native: JsonObject } | null {
  const resource = asset['resource'];
  if (resource === undefined || resource === null) return null;
  if (!isObject(resource)) {
    throw new NormalizeError(source, `asset ${name}: resource is not an object`);
  }
  const data = decodeData(resource['data'], source, name);
  const native: JsonObject = {};
  for (const [key, item] of Object.entries(resource)) {
    if (key !== 'data') native[camelName(key)] = item;
  }
  if (data !== null) native['data'] = data;
  return {
    resource: { data, location: text(resource['location']), parent: text(resource['parent']) },
    native,
  };
}

function decodeData(data: unknown, source: string, name: string): JsonObject | null {
  if (data === undefined || data === null) return null;
  if (isStruct(data)) {
    try {
      return decodeStruct(data, 'resource.data');
    } catch (error) {
      if (error instanceof StructError) {
        throw new NormalizeError(source, `asset ${name}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  if (!isObject(data)) {
    throw new NormalizeError(source, `asset ${name}: resource.data is not an object`);
  }
  return data;
}
