// The Cloud Asset Inventory state: the records of a seed export, and ListAssets over them
// (https://cloud.google.com/asset-inventory/docs/reference/rest/v1/assets/list).
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

// "Default is 100, minimum is 1, and maximum is 1000" (the page above).
const ASSET_PAGES = { defaultSize: 100, maxSize: 1000 };

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

  /** The ancestry of a record: its `ancestors`, else what its name or parent says. */
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
