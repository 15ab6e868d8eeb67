import { isObject } from '../decode/values.js';
import { decodePushData, isPubSubPush } from './pubsub-push.js';
import { isAsset, isAssetPage } from './unwrap.js';

/**
 * Whether a parsed document (or NDJSON line) is Cloud Asset Inventory input. It looks for the
 * marks no other cloud's shape has: an asset's full resource name ("//service.googleapis.com/…",
 * two slashes; ARM ids start with one, "/subscriptions/…") next to an asset type. AWS Config
 * items (configurationItem, ARNs, resourceType) and Resource Graph tables carry neither.
 */
export function detectDocument(document: unknown): boolean {
  if (Array.isArray(document)) return document.length > 0 && isRecord(document[0]);
  if (!isObject(document)) return false;
  if (isPubSubPush(document)) {
    try {
      const decoded = decodePushData(document, 'detect');
      return decoded === null || isRecord(decoded);
    } catch {
      return false;
    }
  }
  if (isAssetPage(document)) {
    const assets = document['assets'];
    return Array.isArray(assets)
      ? assets.length === 0 || isRecord(assets[0])
      : assets === undefined;
  }
  return isRecord(document);
}

/** An asset, or a TemporalAsset around one. */
function isRecord(value: unknown): boolean {
  return (
    isAsset(value) || (isObject(value) && value['name'] === undefined && isAsset(value['asset']))
  );
}
