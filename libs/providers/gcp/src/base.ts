import { observedAtOr, type Change, type InventoryContext } from '@drift-detective/resource-model';
import type { AssetRecord } from './asset.js';
import { compareText, isObject, text, type JsonObject } from './decode/values.js';
import { feedChange } from './pubsub/change.js';

/** What every GCP resource carries, whatever its kind. */
export interface BaseFields {
  readonly provider: 'gcp';
  readonly nativeType: string;
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string | null;
  readonly tags: Record<string, string>;
  readonly observedAt: string;
  readonly native: JsonObject;
  /** What a feed message says changed (its priorAsset); absent for any other record. */
  readonly change?: Change;
}

export function baseFields(
  record: AssetRecord,
  native: JsonObject,
  context: InventoryContext,
): BaseFields {
  const { asset } = record;
  const data = asset.resource?.data ?? null;
  const change = feedChange(record);
  return {
    provider: 'gcp',
    nativeType: asset.assetType,
    id: asset.name,
    name: lastSegment(asset.name) ?? text(data?.['name']) ?? '',
    account: projectOf(record) ?? '',
    // resource.location: "global", a region, a zone or a multi-region ("US") as the service writes it.
    region: asset.resource?.location ?? null,
    tags: labels(data?.['labels']),
    observedAt: asset.updateTime ?? record.windowStart ?? observedAtOr(context, null),
    native,
    ...(change === undefined ? {} : { change }),
  };
}

function lastSegment(name: string): string | null {
  const segments = name.slice(2).split('/');
  return segments.length > 1 ? text(segments[segments.length - 1]) : null;
}

const PROJECT_IN_NAME = /(?:^|\/)projects\/([^/]+)/;

/**
 * The project: its number when the record gives one (ancestors "projects/123", a parent
 * "//cloudresourcemanager.googleapis.com/projects/123", a bucket's projectNumber), else the
 * project id written in the asset name ("//compute.googleapis.com/projects/my-project/…") or
 * in the data (a Cloud SQL instance's `project`). Bucket names carry no project at all.
 * https://cloud.google.com/asset-inventory/docs/resource-name-format
 */
function projectOf(record: AssetRecord): string | null {
  const { asset } = record;
  const fromAncestors = asset.ancestors?.find((a) => a.startsWith('projects/'));
  if (fromAncestors !== undefined) return text(fromAncestors.slice('projects/'.length));
  const parent = asset.resource?.parent ?? null;
  const fromParent =
    parent === null
      ? undefined
      : /^\/\/cloudresourcemanager\.googleapis\.com\/projects\/([^/]+)$/.exec(parent)?.[1];
  if (fromParent !== undefined) return fromParent;
  const fromName = PROJECT_IN_NAME.exec(asset.name.slice(2))?.[1];
  if (fromName !== undefined) return fromName;
  const data = asset.resource?.data ?? null;
  // int64 projectNumber: a string in the JSON API, a number in some exports.
  const projectNumber = data?.['projectNumber'];
  if (typeof projectNumber === 'string' && /^\d+$/.test(projectNumber)) return projectNumber;
  if (typeof projectNumber === 'number' && Number.isSafeInteger(projectNumber)) {
    return String(projectNumber);
  }
  return text(data?.['project']);
}

/** resource.data.labels; non-string values are dropped (labels are string → string). */
function labels(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const key of Object.keys(value).sort(compareText)) {
    const label = value[key];
    if (typeof label === 'string') out[key] = label;
  }
  return out;
}
