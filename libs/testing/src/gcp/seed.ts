// Reads a Cloud Asset export as `gcloud asset export` writes it: NDJSON, one asset record
// per line in the proto field spelling (snake_case), each line holding one content type —
// the RESOURCE record and the IAM_POLICY record of the same asset are separate lines
// (https://cloud.google.com/asset-inventory/docs/exporting-to-cloud-storage).
// lowerCamelCase lines (`gcloud asset list --format=json`, the REST API) are read too.
import { gcpProtos, ASSET_SERVICE } from './protos.js';
import { Descriptors, messageFromJson, ProtoJsonError } from './proto-json.js';

/** The content types a record can carry, each named after the Asset field(s) holding it. */
export const CONTENT_FIELDS = {
  RESOURCE: ['resource'],
  IAM_POLICY: ['iamPolicy'],
  ORG_POLICY: ['orgPolicy'],
  ACCESS_POLICY: ['accessPolicy', 'accessLevel', 'servicePerimeter'],
  OS_INVENTORY: ['osInventory'],
  RELATIONSHIP: ['relatedAsset', 'relatedAssets'],
} as const;

export type ContentType = keyof typeof CONTENT_FIELDS;

/** One line of the export: one asset's record of one content type, in proto-loader's object form. */
export interface AssetRecord {
  readonly name: string;
  readonly assetType: string;
  readonly contentType: ContentType;
  readonly ancestors: readonly string[];
  /** google.cloud.asset.v1.Asset as the wire object (camelCase, Struct data, Timestamp objects). */
  readonly asset: Readonly<Record<string, unknown>>;
}

export class GcpSeedError extends Error {
  override readonly name = 'GcpSeedError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

let descriptors: Descriptors | undefined;
const assetDescriptors = (): Descriptors => (descriptors ??= new Descriptors(gcpProtos()));

function contentsOf(asset: Record<string, unknown>): ContentType[] {
  return (Object.keys(CONTENT_FIELDS) as ContentType[]).filter((type) =>
    CONTENT_FIELDS[type].some((field) => asset[field] !== undefined),
  );
}

/** Keeps only one content type's fields, so a line carrying two becomes two records. */
function onlyContent(asset: Record<string, unknown>, keep: ContentType): Record<string, unknown> {
  const drop = new Set<string>(
    (Object.keys(CONTENT_FIELDS) as ContentType[])
      .filter((type) => type !== keep)
      .flatMap((type) => [...CONTENT_FIELDS[type]]),
  );
  return Object.fromEntries(Object.entries(asset).filter(([key]) => !drop.has(key)));
}

function recordsOfLine(line: string, n: number): AssetRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw new GcpSeedError(`line ${n} is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(json)) throw new GcpSeedError(`line ${n} is not a JSON object`);
  let asset: Record<string, unknown>;
  try {
    asset = messageFromJson(assetDescriptors(), 'google.cloud.asset.v1.Asset', json, 'asset');
  } catch (error) {
    if (error instanceof ProtoJsonError) throw new GcpSeedError(`line ${n}: ${error.message}`);
    throw error;
  }
  const name = asset['name'];
  const assetType = asset['assetType'];
  if (typeof name !== 'string' || !name.startsWith('//'))
    throw new GcpSeedError(`line ${n} has no asset name ("name" starting with "//")`);
  if (typeof assetType !== 'string' || assetType === '')
    throw new GcpSeedError(`line ${n} (${name}) has no "asset_type"`);
  const contents = contentsOf(asset);
  if (contents.length === 0)
    throw new GcpSeedError(
      `line ${n} (${name}) holds no content: resource, iam_policy, org_policy…`,
    );
  const ancestors = Array.isArray(asset['ancestors']) ? (asset['ancestors'] as string[]) : [];
  return contents.map((contentType) => {
    const record = {
      name,
      assetType,
      contentType,
      ancestors,
      asset: onlyContent(asset, contentType),
    };
    // Encoding it now turns a value of the wrong type into a seed error instead of a broken answer.
    try {
      encodeCheck(record.asset);
    } catch (error) {
      throw new GcpSeedError(`line ${n} (${name}): ${(error as Error).message}`);
    }
    return record;
  });
}

function encodeCheck(asset: Record<string, unknown>): void {
  const service = gcpProtos()[ASSET_SERVICE] as unknown as {
    ListAssets: { responseSerialize: (value: unknown) => Buffer };
  };
  service.ListAssets.responseSerialize({ assets: [asset] });
}

/** Every record of an export (blank lines skipped); throws GcpSeedError naming the line. */
export function recordsOfExport(ndjson: string): AssetRecord[] {
  return ndjson
    .split(/\r?\n/)
    .flatMap((line, i) => (line.trim() === '' ? [] : recordsOfLine(line, i + 1)));
}
