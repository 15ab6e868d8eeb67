import type { GcpClients } from '../grpc/clients.js';
import type { GcpRetrySettings } from '../grpc/retry.js';
import type { JsonObject } from '../decode/values.js';
import { listAll } from '../asset-api/list-page.js';

export interface NetworkFirewallRequest {
  /** Where to list: the firewall rules' project ("projects/my-project", id or number), or the
   * organization the hierarchical firewall policies are under. */
  readonly parent: string;
  /** compute.googleapis.com/Firewall or compute.googleapis.com/FirewallPolicy. */
  readonly assetType: string;
  /** The snapshot, RFC 3339: the feed message's window.startTime; null: now. */
  readonly at: string | null;
}

/** The firewall rules or policies (RESOURCE records, proto3 JSON) under a parent as of a time. */
export type NetworkFirewallReader = (
  request: NetworkFirewallRequest,
  signal: AbortSignal,
) => Promise<JsonObject[]>;

/** listAssets pages hold up to 1000 assets (ListAssetsRequest.page_size). */
const PAGE_SIZE = 1000;

/**
 * listAssets of the RESOURCE records of one asset type under a parent at `at`, through
 * the official client and the shared backoff. read_time may be any time of the last 35 days
 * up to now; a message time past this host's clock (clock skew) reads now instead.
 * https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#listassetsrequest
 */
export function cloudAssetFirewallReader(
  clients: Pick<GcpClients, 'assets' | 'requestTimeoutMs'>,
  options: { readonly retry?: GcpRetrySettings | undefined; readonly now?: () => Date } = {},
): NetworkFirewallReader {
  const now = options.now ?? (() => new Date());
  return async ({ parent, assetType, at }, signal) => {
    const readTime = at !== null && Date.parse(at) <= now().getTime() ? at : null;
    const page = await listAll(
      { clients, retry: options.retry, signal },
      {
        parent,
        contentType: 'RESOURCE',
        assetTypes: [assetType],
        pageSize: PAGE_SIZE,
        readTime,
      },
    );
    return page.assets;
  };
}
