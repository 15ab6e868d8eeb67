import type { protos } from '@google-cloud/asset';
import {
  callGcp,
  describeGcpError,
  GcpCallAborted,
  grpcCodeOf,
  type GcpRetrySettings,
} from '../grpc/retry.js';
import { callOptions, type GcpClients } from '../grpc/clients.js';
import { toUtcTimestamp } from '../decode/time.js';
import type { JsonObject } from '../decode/values.js';
import { assetToJson } from './proto-json.js';

/**
 * listAssets' content types this reader asks for. Unspecified lists names only.
 * https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#contenttype
 */
export type ListContent = 'RESOURCE' | 'IAM_POLICY' | 'ORG_POLICY' | 'CONTENT_TYPE_UNSPECIFIED';

/** One listAssets query: everything but the page token. */
export interface AssetQuery {
  readonly parent: string;
  readonly contentType: ListContent;
  readonly assetTypes: readonly string[];
  readonly pageSize: number;
  /** The snapshot, RFC 3339; null: now (the answer says which). */
  readonly readTime: string | null;
}

export interface AssetPage {
  /** The page's assets in proto3 JSON (proto-json.ts). */
  readonly assets: JsonObject[];
  /** null on the last page. */
  readonly nextPageToken: string | null;
  /** ListAssetsResponse.read_time: the snapshot the page was read at, RFC 3339 UTC. */
  readonly readTime: string | null;
}

/**
 * A listAssets call that failed for good (or past its retries): one line naming the call,
 * the gRPC code and the service's message; `code` keeps the gRPC status code.
 */
export class AssetListError extends Error {
  override readonly name = 'AssetListError';
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

export interface ListSettings {
  readonly clients: Pick<GcpClients, 'assets' | 'requestTimeoutMs'>;
  readonly retry?: GcpRetrySettings | undefined;
  readonly signal?: AbortSignal | undefined;
}

function timestampOf(rfc3339: string): protos.google.protobuf.ITimestamp {
  const millis = Date.parse(rfc3339);
  const nanos = /\.(\d{1,9})Z$/.exec(rfc3339)?.[1]?.padEnd(9, '0') ?? '0';
  return { seconds: Math.floor(millis / 1000), nanos: Number(nanos) };
}

/**
 * One page of listAssets, through the shared backoff (callGcp: RESOURCE_EXHAUSTED with its
 * RetryInfo, UNAVAILABLE, DEADLINE_EXCEEDED). `autoPaginate: false` makes the client answer
 * [assets, nextRequest, rawResponse]; the raw response carries next_page_token ("" on the
 * last page) and read_time.
 * https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#listassetsresponse
 */
export async function listPage(
  settings: ListSettings,
  query: AssetQuery,
  pageToken: string | null,
): Promise<AssetPage> {
  const request: protos.google.cloud.asset.v1.IListAssetsRequest = {
    parent: query.parent,
    contentType: query.contentType,
    assetTypes: [...query.assetTypes],
    pageSize: query.pageSize,
    ...(query.readTime === null ? {} : { readTime: timestampOf(query.readTime) }),
    ...(pageToken === null ? {} : { pageToken }),
  };
  const call = `listAssets ${query.contentType} under ${query.parent}`;
  let answer;
  try {
    answer = await callGcp(
      call,
      () =>
        settings.clients.assets.listAssets(request, callOptions(settings.clients, settings.signal)),
      { ...settings.retry, signal: settings.signal },
    );
  } catch (error) {
    if (error instanceof GcpCallAborted) throw error;
    throw new AssetListError(`${call} failed: ${describeGcpError(error)}`, grpcCodeOf(error));
  }
  const [assets, , raw] = answer;
  const next = raw?.nextPageToken ?? '';
  return {
    assets: assets.map(assetToJson),
    nextPageToken: next === '' ? null : next,
    readTime: toUtcTimestamp(raw?.readTime ?? null),
  };
}

/** Every page of a query, in order (for the policies a sweep holds in memory). */
export async function listAll(settings: ListSettings, query: AssetQuery): Promise<AssetPage> {
  const assets: JsonObject[] = [];
  let readTime: string | null = null;
  let token: string | null = null;
  do {
    const page: AssetPage = await listPage(settings, query, token);
    assets.push(...page.assets);
    readTime ??= page.readTime;
    token = page.nextPageToken;
  } while (token !== null);
  return { assets, nextPageToken: null, readTime };
}
