import { NormalizeError, type NativeRecord } from '@drift-detective/resource-model';
import { isTemporalAsset } from '../asset.js';
import { isObject, type JsonObject } from '../decode/values.js';
import { isNetworkContextRecord } from './network-context.js';
import { decodePushData, isPubSubPush } from './pubsub-push.js';

/**
 * One input document → its native records (assets or TemporalAssets, checked later by
 * normalize). Accepted:
 * - one asset: a line of a `gcloud asset export` / exportAssets file (newline-delimited JSON,
 *   snake_case proto names) or a camelCase API asset
 *   https://cloud.google.com/asset-inventory/docs/export-asset-metadata
 * - a JSON array of assets: export records, or `gcloud asset list --format=json`
 *   https://cloud.google.com/sdk/gcloud/reference/asset/list
 * - a listAssets answer `{assets, nextPageToken, readTime}` (an empty page has no `assets`)
 *   https://cloud.google.com/asset-inventory/docs/reference/rest/v1/assets/list#response-body
 * - a batchGetAssetsHistory answer `{assets: [TemporalAsset]}`
 *   https://cloud.google.com/asset-inventory/docs/reference/rest/v1/TopLevel/batchGetAssetsHistory#response-body
 * - a feed message, a TemporalAsset `{asset, window, deleted, priorAsset, priorAssetState}`
 *   https://cloud.google.com/asset-inventory/docs/monitor-asset-changes
 * - a Pub/Sub push envelope around a feed message (the feed's plain-text welcome message
 *   yields no record);
 * - the adapter's own `{networkContext: asset}`, a firewall rule sent as its network's context.
 */
export function unwrapDocument(document: unknown, source: string): NativeRecord[] {
  if (Array.isArray(document)) {
    return document.map((value, index) => record(`${source}[${index}]`, value));
  }
  if (!isObject(document)) {
    throw new NormalizeError(
      source,
      'not a Cloud Asset Inventory document (expected a JSON object or array)',
    );
  }
  if (isPubSubPush(document)) {
    const decoded = decodePushData(document, source);
    if (decoded === null) return [];
    if (!isObject(decoded))
      throw new NormalizeError(source, 'Pub/Sub message data is not a JSON object');
    return [record(source, decoded)];
  }
  if (isAssetPage(document)) {
    const assets = document['assets'];
    if (assets === undefined || assets === null) return [];
    if (!Array.isArray(assets)) throw new NormalizeError(source, 'assets is not a list');
    return assets.map((value, index) => record(`${source}.assets[${index}]`, value));
  }
  if (isAsset(document) || isTemporalAsset(document) || isNetworkContextRecord(document)) {
    return [record(source, document)];
  }
  throw new NormalizeError(
    source,
    'not a Cloud Asset Inventory asset, page, feed message or Pub/Sub push envelope',
  );
}

function record(source: string, value: unknown): NativeRecord {
  return { provider: 'gcp', source, value };
}

/** An asset in either spelling: a full resource name and an asset type. */
export function isAsset(value: unknown): value is JsonObject {
  return (
    isObject(value) &&
    typeof value['name'] === 'string' &&
    value['name'].startsWith('//') &&
    (typeof value['assetType'] === 'string' || typeof value['asset_type'] === 'string')
  );
}

/** listAssets / batchGetAssetsHistory answers: nothing but these keys. */
const PAGE_KEYS = new Set(['assets', 'nextPageToken', 'next_page_token', 'readTime', 'read_time']);

export function isAssetPage(value: JsonObject): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => PAGE_KEYS.has(key));
}
