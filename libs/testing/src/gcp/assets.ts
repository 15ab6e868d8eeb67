// The Cloud Asset Inventory state: the records of a seed export, and ListAssets and
// BatchGetAssetsHistory over them
// (https://cloud.google.com/asset-inventory/docs/reference/rest/v1/assets/list,
// https://cloud.google.com/asset-inventory/docs/reference/rest/v1/TopLevel/batchGetAssetsHistory).
import { pageOf } from './paging.js';
import type { AssetRecord, ContentType } from './seed.js';
import { CONTENT_FIELDS } from './seed.js';
import { invalidArgument, permissionDenied } from './status.js';

export interface ListAssetsRequest {
  readonly parent?: string;
  readonly readTime?: { readonly seconds?: string; readonly nanos?: number };
  readonly assetTypes?: readonly string[];
  readonly contentType?: string;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

interface Timestamp {
  readonly seconds?: string | number;
  readonly nanos?: number;
}

export interface BatchGetAssetsHistoryRequest {
  readonly parent?: string;
  readonly assetNames?: readonly string[];
  readonly contentType?: string;
  readonly readTimeWindow?: { readonly startTime?: Timestamp; readonly endTime?: Timestamp };
}

/** "the max size of the asset name list is 100 in one request" (asset_service.proto). */
const MAX_HISTORY_NAMES = 100;
/** "if set, it must be after the current time minus 35 days" (asset_service.proto). */
const HISTORY_DAYS = 35;

// "Default is 100, minimum is 1, and maximum is 1000" (the page above).
const ASSET_PAGES = { defaultSize: 100, maxSize: 1000 };

const hierarchyNodeOf =
  /^\/\/cloudresourcemanager\.googleapis\.com\/((?:organizations|folders|projects)\/[^/]+)$/;
const projectNumberOfName = /^\/\/cloudresourcemanager\.googleapis\.com\/(projects\/[^/]+)$/;

export class AssetInventory {
  private records: AssetRecord[] = [];
  /** `projects/<id>` → `projects/<number>`, learnt from asset names beside their ancestors. */
  private projectIds = new Map<string, string>();

  constructor(records: readonly AssetRecord[] = []) {
    this.replace(records);
  }

  replace(records: readonly AssetRecord[]): void {
    this.records = [...records];
    this.projectIds = new Map();
    for (const record of records) {
      const byName = /\/projects\/([^/]+)\//.exec(record.name)?.[1];
      const number = record.ancestors.find((a) => a.startsWith('projects/'));
      if (byName !== undefined && number !== undefined && `projects/${byName}` !== number)
        this.projectIds.set(`projects/${byName}`, number);
    }
  }

  all(): readonly AssetRecord[] {
    return this.records;
  }

  private ancestryOf(record: AssetRecord): string[] {
    if (record.ancestors.length > 0) return [...record.ancestors];
    const own = projectNumberOfName.exec(record.name)?.[1];
    const resource = record.asset['resource'] as { parent?: string } | undefined;
    const parent =
      resource?.parent === undefined ? undefined : projectNumberOfName.exec(resource.parent)?.[1];
    return [own ?? parent].filter((a): a is string => a !== undefined);
  }

  /** The organization (number) of the seed, from ancestors or an Organization asset. */
  organization(): string | undefined {
    for (const record of this.records) {
      const org =
        record.ancestors.find((a) => a.startsWith('organizations/')) ??
        /\/\/cloudresourcemanager\.googleapis\.com\/(organizations\/\d+)$/.exec(record.name)?.[1];
      if (org !== undefined) return org.slice('organizations/'.length);
    }
    return undefined;
  }

  /** The projects of the seed, in order of appearance, as the ancestors name them. */
  projects(): string[] {
    const found = this.records.flatMap((r) =>
      this.ancestryOf(r).filter((a) => a.startsWith('projects/')),
    );
    return [...new Set(found)].map((p) => p.slice('projects/'.length));
  }

  /** The ancestors of a full resource name, nearest first (empty when the seed lacks it). */
  ancestorsOf(resourceName: string): readonly string[] {
    const record = this.records.find((r) => r.name === resourceName);
    return record === undefined ? [] : this.ancestryOf(record);
  }

  assetTypeOf(resourceName: string): string | undefined {
    return this.records.find((r) => r.name === resourceName)?.assetType;
  }

  private scopeOf(parent: string): string {
    if (!/^(organizations|folders|projects)\/[^/]+$/.test(parent))
      throw invalidArgument(
        `parent must be organizations/[number], folders/[number] or projects/[id or number], not ${JSON.stringify(parent)}`,
      );
    const scope = this.projectIds.get(parent) ?? parent;
    if (!this.records.some((r) => this.ancestryOf(r).includes(scope)))
      // Google answers an unknown or forbidden parent alike, without saying which.
      throw permissionDenied(`The caller does not have permission on ${parent}`);
    return scope;
  }

  private typeFilter(assetTypes: readonly string[]): (type: string) => boolean {
    // Asset types may be RE2 expressions matching the whole type, per the page above.
    const patterns = assetTypes.map((t) => {
      try {
        return new RegExp(`^(?:${t})$`);
      } catch {
        throw invalidArgument(`asset type ${JSON.stringify(t)} is not a valid expression`);
      }
    });
    return (type) => patterns.length === 0 || patterns.some((p) => p.test(type));
  }

  list(request: ListAssetsRequest): Record<string, unknown> {
    const scope = this.scopeOf(request.parent ?? '');
    const contentType = (request.contentType ?? 'CONTENT_TYPE_UNSPECIFIED') as
      ContentType | 'CONTENT_TYPE_UNSPECIFIED';
    if (contentType !== 'CONTENT_TYPE_UNSPECIFIED' && !(contentType in CONTENT_FIELDS))
      throw invalidArgument(`unknown content_type ${contentType}`);
    const wanted = this.typeFilter(request.assetTypes ?? []);
    const inScope = this.records.filter(
      (r) => wanted(r.assetType) && this.ancestryOf(r).includes(scope),
    );
    const assets =
      contentType === 'CONTENT_TYPE_UNSPECIFIED'
        ? namesOnly(inScope)
        : inScope.filter((r) => r.contentType === contentType).map((r) => r.asset);
    const query = { scope, contentType, assetTypes: request.assetTypes ?? [] };
    const page = pageOf(assets, request, query, ASSET_PAGES);
    // read_time is taken as given: the stand-in has one snapshot, answered for any time asked.
    const readTime = request.readTime ?? nowTimestamp();
    return { readTime, assets: page.items, nextPageToken: page.nextPageToken };
  }

  /**
   * The stand-in's BatchGetAssetsHistory. It holds one state per asset and content type, so the
   * history of each is one TemporalAsset whose window starts at its update_time (the change that
   * made it) and is still open (no end_time: "If not specified, the current timestamp is used
   * instead", assets.proto TimeWindow); it is answered when it overlaps the asked window. What
   * the proto documents is checked as Google does: a parent that is an organization or a
   * project (a folder is refused), at most 100 names, a window within the last 35 days, and
   * INVALID_ARGUMENT for an asset that does not exist (the projects, folders and organization
   * the held assets lie under exist, seeded or not). No record of the content type (an
   * asset without an IAM policy) answers no TemporalAsset: "For IAM_POLICY content, this API
   * outputs history when the asset and its attached IAM POLICY both exist". The stand-in
   * refuses an unspecified content type rather than guess what Google answers for it.
   */
  history(
    request: BatchGetAssetsHistoryRequest,
    now: number = Date.now(),
  ): Record<string, unknown> {
    const parent = request.parent ?? '';
    if (!/^(organizations|projects)\/[^/]+$/.test(parent))
      throw invalidArgument(
        `parent must be organizations/[number] or projects/[id or number], not ${JSON.stringify(parent)}`,
      );
    const names = request.assetNames ?? [];
    if (names.length > MAX_HISTORY_NAMES)
      throw invalidArgument(`at most ${MAX_HISTORY_NAMES} asset names, got ${names.length}`);
    const contentType = request.contentType ?? 'CONTENT_TYPE_UNSPECIFIED';
    if (!(contentType in CONTENT_FIELDS))
      throw invalidArgument(
        `content_type must be one of ${Object.keys(CONTENT_FIELDS).join(', ')}`,
      );
    const start = nanosOf(request.readTimeWindow?.startTime);
    const end = nanosOf(request.readTimeWindow?.endTime);
    const oldest = BigInt(now - HISTORY_DAYS * 24 * 3600 * 1000) * 1_000_000n;
    if ((start !== undefined && start < oldest) || (end !== undefined && end < oldest))
      throw invalidArgument(
        `read_time_window must be after the current time minus ${HISTORY_DAYS} days`,
      );
    if (start !== undefined && end !== undefined && start > end)
      throw invalidArgument('read_time_window.start_time is after its end_time');
    const until = end ?? BigInt(now) * 1_000_000n;
    const scope = this.scopeOf(parent);
    const held = this.records.filter((r) => this.ancestryOf(r).includes(scope));
    const assets: Record<string, unknown>[] = [];
    for (const name of names) {
      const ofName = held.filter((r) => r.name === name);
      // A project, folder or organization some held asset lies under exists, seeded or not.
      const node = hierarchyNodeOf.exec(name)?.[1];
      const isAncestor = node !== undefined && held.some((r) => this.ancestryOf(r).includes(node));
      if (ofName.length === 0 && !isAncestor) throw invalidArgument(`asset ${name} does not exist`);
      for (const record of ofName) {
        if (record.contentType !== contentType) continue;
        const updateTime = record.asset['updateTime'] as Timestamp | undefined;
        const since = nanosOf(updateTime);
        // The window (update_time, now] overlaps the asked one when it began before its end.
        if (since !== undefined && since >= until) continue;
        assets.push({
          window: updateTime === undefined ? {} : { startTime: updateTime },
          asset: record.asset,
        });
      }
    }
    return { assets };
  }
}

/** A Timestamp in nanoseconds since the epoch; undefined when absent. */
function nanosOf(timestamp: Timestamp | undefined): bigint | undefined {
  if (timestamp === undefined || timestamp === null) return undefined;
  return BigInt(timestamp.seconds ?? 0) * 1_000_000_000n + BigInt(timestamp.nanos ?? 0);
}

/** "If not specified, no content but the asset name will be returned": one entry per asset. */
function namesOnly(records: readonly AssetRecord[]): Record<string, unknown>[] {
  const seen = new Map<string, Record<string, unknown>>();
  for (const r of records) {
    if (seen.has(r.name)) continue;
    const { name, assetType, ancestors, updateTime } = r.asset;
    seen.set(r.name, {
      name,
      assetType,
      ancestors,
      ...(updateTime === undefined ? {} : { updateTime }),
    });
  }
  return [...seen.values()];
}

export function nowTimestamp(): { seconds: string; nanos: number } {
  const ms = Date.now();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}
