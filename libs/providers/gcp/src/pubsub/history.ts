import { protos } from '@google-cloud/asset';
import { callOptions, type GcpClients } from '../grpc/clients.js';
import { callGcp, type GcpRetrySettings } from '../grpc/retry.js';
import { isObject, type JsonObject } from '../decode/values.js';

/** The content types the enricher reads beside a feed message. */
export type HistoryContentType = 'RESOURCE' | 'IAM_POLICY' | 'ORG_POLICY';

export interface AssetHistoryRequest {
  /** Full resource names; at most 100 ("the max size of the asset name list is 100"). */
  readonly assetNames: readonly string[];
  readonly contentType: HistoryContentType;
  /** RFC 3339 UTC: the feed message's window.startTime. */
  readonly since: string;
}

/** The TemporalAssets of the asked assets whose window overlaps (since, now], as JSON. */
export type AssetHistoryReader = (
  request: AssetHistoryRequest,
  signal: AbortSignal,
) => Promise<JsonObject[]>;

export interface CloudAssetHistoryOptions {
  /**
   * The root asset asked under: "organizations/123", "projects/my-project" or
   * "projects/12345" (the API takes no folder here). The feed's assets must lie under it.
   */
  readonly parent: string;
  readonly retry?: GcpRetrySettings | undefined;
}

/** "the max size of the asset name list is 100 in one request" (asset_service.proto). */
export const MAX_HISTORY_NAMES = 100;

const TemporalAsset = protos.google.cloud.asset.v1.TemporalAsset;

/**
 * Cloud Asset `batchGetAssetsHistory` through the official client, with the shared backoff
 * (callGcp: RESOURCE_EXHAUSTED and UNAVAILABLE waited out, RetryInfo honoured). Only a start
 * time is given: the end defaults to now, so the answer holds every state of the window
 * (since, now], the one in effect at `since` first among them.
 * https://cloud.google.com/asset-inventory/docs/reference/rest/v1/TopLevel/batchGetAssetsHistory
 *
 * Each TemporalAsset is turned into its proto3 JSON object form (enums and int64 as strings,
 * bytes as base64, unset fields left out), the form the inventory reads a feed message in;
 * resource.data stays a Struct and times stay {seconds, nanos}, both of which it decodes.
 */
export function cloudAssetHistoryReader(
  clients: Pick<GcpClients, 'assets' | 'requestTimeoutMs'>,
  options: CloudAssetHistoryOptions,
): AssetHistoryReader {
  if (!/^(organizations|projects)\/[^/]+$/.test(options.parent)) {
    throw new RangeError(
      `batchGetAssetsHistory needs an organization or project parent, not ${JSON.stringify(options.parent)}`,
    );
  }
  return async (request, signal) => {
    if (request.assetNames.length === 0) return [];
    if (request.assetNames.length > MAX_HISTORY_NAMES) {
      throw new RangeError(`at most ${MAX_HISTORY_NAMES} asset names in one history read`);
    }
    const millis = Date.parse(request.since);
    if (!Number.isFinite(millis)) throw new RangeError(`not a time: ${request.since}`);
    const [response] = await callGcp(
      'batchGetAssetsHistory',
      () =>
        clients.assets.batchGetAssetsHistory(
          {
            parent: options.parent,
            assetNames: [...request.assetNames],
            contentType: request.contentType,
            readTimeWindow: { startTime: timestampOf(request.since, millis) },
          },
          callOptions(clients, signal),
        ),
      { ...options.retry, signal },
    );
    return (response.assets ?? []).map((temporal) => {
      const json = TemporalAsset.toObject(TemporalAsset.fromObject(temporal), {
        longs: String,
        enums: String,
        bytes: String,
        json: true,
      });
      return isObject(json) ? json : {};
    });
  };
}

/** RFC 3339 → Timestamp, keeping the sub-millisecond digits Cloud Asset writes. */
function timestampOf(time: string, millis: number): { seconds: number; nanos: number } {
  const fraction = /\.(\d{1,9})(?:Z|[+-]\d{2}:\d{2})$/i.exec(time)?.[1] ?? '';
  return {
    seconds: Math.floor(millis / 1000),
    nanos: fraction === '' ? 0 : Number(fraction.padEnd(9, '0')),
  };
}
