import { isDeepStrictEqual } from 'node:util';
import type { Change } from '@drift-detective/resource-model';
import type { AssetRecord, CaiAsset } from '../asset.js';
import { compareText, isObject, type JsonObject } from '../decode/values.js';
import { readBindings } from '../iam.js';

type FieldChange = NonNullable<Change['fields']>[number];

/** At most this many fields per change: a finding carries the change, not a full diff. */
export const MAX_CHANGED_FIELDS = 20;
/** A value whose JSON is longer than this is cut to a string of this length. */
export const MAX_CHANGED_VALUE_CHARS = 200;

/**
 * Keys that change on every write of the resource whatever was changed (HTTP etags, Compute
 * fingerprints, a bucket's `updated` and `metageneration`, Cloud SQL's `settingsVersion`):
 * listing them would crowd out the field that was actually changed.
 * https://cloud.google.com/storage/docs/json_api/v1/buckets#resource
 * https://cloud.google.com/compute/docs/reference/rest/v1/instances (fingerprint)
 */
const BOOKKEEPING = new Set([
  'etag',
  'fingerprint',
  'updated',
  'updateTime',
  'metageneration',
  'settingsVersion',
]);

/**
 * Resource.change of a feed message (a TemporalAsset with priorAssetState), undefined for any
 * other record. changedAt = window.startTime, when the change happened; changeType "update"
 * for PRESENT, "create" for DOES_NOT_EXIST (the first known state) and DELETED (re-created
 * after a deletion); INVALID (Cloud Asset could not set the prior state) says only when.
 * fields: only with a prior asset (PRESENT): the leaf paths of resource.data that differ
 * (`resource.data.iamConfiguration.publicAccessPrevention`) and the IAM bindings whose members
 * differ (`iamPolicy.bindings["roles/storage.objectViewer"]`), for each part the prior asset
 * carries: a feed is per content type, so a RESOURCE message's prior asset has no IAM policy
 * and nothing is said of it. A created asset lists no fields: all of it is new.
 * https://cloud.google.com/asset-inventory/docs/monitor-asset-changes
 * https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#google.cloud.asset.v1.TemporalAsset
 */
export function feedChange(record: AssetRecord): Change | undefined {
  const { prior } = record;
  if (prior === null) return undefined;
  const change: Change = {};
  if (record.windowStart !== null) change.changedAt = record.windowStart;
  if (prior.state === 'PRESENT') change.changeType = 'update';
  else if (prior.state === 'DOES_NOT_EXIST' || prior.state === 'DELETED') {
    change.changeType = 'create';
  }
  if (prior.state === 'PRESENT' && prior.asset !== null) {
    change.fields = changedFields(prior.asset, record.asset);
  }
  return change;
}

/** The differing fields, sorted by path, at most MAX_CHANGED_FIELDS. */
export function changedFields(before: CaiAsset, after: CaiAsset): FieldChange[] {
  const fields: FieldChange[] = [];
  if (before.resource !== null) {
    leafChanges('resource.data', before.resource.data, after.resource?.data ?? null, fields);
  }
  if (before.iamPolicy !== null) bindingChanges(before.iamPolicy, after.iamPolicy, fields);
  return fields
    .sort((a, b) => compareText(a.path, b.path))
    .slice(0, MAX_CHANGED_FIELDS)
    .map((f) => ({ path: f.path, before: bounded(f.before), after: bounded(f.after) }));
}

/**
 * Objects are walked key by key; anything else (lists included: a reordered list is not a
 * change of each item) is one leaf compared whole.
 */
function leafChanges(path: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort(compareText)) {
      if (BOOKKEEPING.has(key)) continue;
      leafChanges(childPath(path, key), before[key], after[key], out);
    }
    return;
  }
  if (!isDeepStrictEqual(before ?? null, after ?? null)) {
    out.push({ path, before: before ?? null, after: after ?? null });
  }
}

/** `a.b` for plain keys, `a["x.y"]` for keys a reader could not split (label keys may hold dots). */
function childPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

/**
 * One field per binding (role, and condition when there is one) whose members differ: the
 * members before and after, sorted. A policy that cannot be read is compared whole.
 * https://cloud.google.com/iam/docs/reference/rest/v1/Policy#Binding
 */
function bindingChanges(before: JsonObject, after: JsonObject | null, out: FieldChange[]): void {
  const old = readBindings(before);
  const now = after === null ? [] : readBindings(after);
  if (old === null || now === null) {
    leafChanges('iamPolicy.bindings', before['bindings'], after?.['bindings'], out);
    return;
  }
  const members = (bindings: typeof old) => {
    const byKey = new Map<string, string[]>();
    for (const b of bindings) {
      const key = b.condition === null ? b.role : `${b.role} if ${b.condition}`;
      byKey.set(key, [...new Set([...(byKey.get(key) ?? []), ...b.members])].sort(compareText));
    }
    return byKey;
  };
  const was = members(old);
  const is = members(now);
  for (const key of new Set([...was.keys(), ...is.keys()])) {
    const a = was.get(key) ?? null;
    const b = is.get(key) ?? null;
    if (!isDeepStrictEqual(a, b)) {
      out.push({ path: `iamPolicy.bindings[${JSON.stringify(key)}]`, before: a, after: b });
    }
  }
}

/** The value, or its JSON cut to MAX_CHANGED_VALUE_CHARS characters ending in "…". */
function bounded(value: unknown): unknown {
  const json = JSON.stringify(value) ?? 'null';
  return json.length <= MAX_CHANGED_VALUE_CHARS
    ? value
    : `${json.slice(0, MAX_CHANGED_VALUE_CHARS - 1)}…`;
}
