import type { PipelineLogger, SweepPage, SweepReaderFactory } from '@drift-detective/pipeline';
import type { GcpClients } from '../grpc/clients.js';
import { GRPC, grpcCodeOf, type GcpRetrySettings } from '../grpc/retry.js';
import type { JsonObject } from '../decode/values.js';
import {
  CursorOfOtherSweepError,
  decodeCursor,
  encodeCursor,
  type CursorContext,
  type SavedPosition,
  type SweepPosition,
} from './cursor.js';
import { FIREWALL_POLICY_TYPE, FIREWALL_TYPE } from '../network-firewall.js';
import { HeldFirewalls } from './held-firewalls.js';
import { HeldPolicies } from './held-policies.js';
import { listAll, listPage, type AssetQuery, type ListSettings } from './list-page.js';
import { parseSweepParent } from './parent.js';
import { SweptProjectsScope } from './swept-projects.js';
import { needsOrgPolicies, ORG_POLICY_TYPES, PROJECT_TYPE, sweptGcpTypes } from './sweep-types.js';

/**
 * listAssets page_size: "Default is 100, minimum is 1, and maximum is 1000"
 * (https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#listassetsrequest).
 * A sweep page is also the unit the pipeline saves and publishes; 500 RESOURCE records
 * (a few KB each, compute instances more) keep an answer well inside gRPC's usual 4 MB
 * message limit and a checkpoint every few seconds, at half the calls of the default.
 */
export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 1000;
/** IAM and organization policies are small: read them in the largest pages. */
const POLICY_PAGE_SIZE = MAX_PAGE_SIZE;

/** Where the held firewall rules came from, for the message of one that cannot be read. */
const FIREWALLS_SOURCE = 'listAssets firewall rules';
/**
 * read_time reaches back 35 days (the page above); a cursor whose snapshot is older than
 * this starts the sweep over instead of failing on every resume.
 */
const SNAPSHOT_LIFETIME_MS = 34 * 24 * 60 * 60 * 1000;

export interface AssetSweepOptions {
  readonly clients: Pick<GcpClients, 'assets' | 'requestTimeoutMs'>;
  /** organizations/NUMBER, folders/NUMBER or projects/ID-OR-NUMBER. */
  readonly parent: string;
  /** Supported asset types to sweep (default: every supported type). */
  readonly assetTypes?: readonly string[] | undefined;
  /**
   * Where ORG_POLICY records are listed (default: the parent). listAssets under a project
   * or folder answers only the policies set on nodes inside it, not those inherited from
   * above; name the organization here to judge buckets with their inherited policies too.
   */
  readonly orgPolicyParent?: string | undefined;
  /** RESOURCE records per page, 1–1000 (default 500). */
  readonly pageSize?: number | undefined;
  /** The shared backoff's bounds (default: callGcp's). */
  readonly retry?: GcpRetrySettings | undefined;
  /** A stop: aborting cuts the call in flight (GcpCallAborted). */
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Pick<PipelineLogger, 'warn'> | undefined;
  /** The clock that ages saved snapshots (tests). */
  readonly now?: (() => Date) | undefined;
}

/** A sweep's reader, and the scope a complete run of it covers (swept-projects.ts). */
export type AssetSweepReader = SweepReaderFactory & { readonly scope: SweptProjectsScope };

/**
 * Reads one parent's inventory from Cloud Asset Inventory as sweep pages. Every call of a
 * sweep pins one snapshot (read_time, taken from the first answer and kept in the cursor),
 * so the policies, the resources and the projects it covers all describe one moment, and a
 * resumed run reads the very snapshot its saved page token continues. Each run:
 *
 * 1. lists the projects under the parent (names only), for the scope — its first answer
 *    names the snapshot;
 * 2. lists the ORG_POLICY records (when buckets are swept), the IAM_POLICY records of the
 *    swept types, and the firewall rules that may deny and the hierarchical firewall policies
 *    (when firewalls are swept), held in memory (held-policies.ts, held-firewalls.ts);
 * 3. streams the RESOURCE pages from the saved page token: each becomes one document with
 *    the IAM_POLICY records of the same assets, the org policies above them and, as context
 *    only, the denies of the networks of its firewall rules and the firewall policies above
 *    them, which the inventory merges
 *    exactly as the offline scan of an export does;
 * 4. then sends the IAM_POLICY records no RESOURCE record took, in documents of their own,
 *    as the inventory's leftovers of an export.
 *
 * A page's cursor names what follows it. A cursor of another sweep (another parent, other
 * types), of a snapshot too old, or whose page token the service refuses, is set aside with
 * a warning and the sweep starts over; re-reading only re-judges.
 */
export function assetSweep(options: AssetSweepOptions): AssetSweepReader {
  const { clients, signal, logger } = options;
  const parent = parseSweepParent(options.parent).name;
  const assetTypes = sweptGcpTypes(options.assetTypes);
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(
      `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`,
    );
  }
  const orgPolicyParent = needsOrgPolicies(assetTypes)
    ? parseSweepParent(options.orgPolicyParent ?? parent).name
    : null;
  const context: CursorContext = { parent, assetTypes, orgPolicyParent };
  const hierarchyParent = parseSweepParent(options.orgPolicyParent ?? parent).name;
  const settings: ListSettings = { clients, retry: options.retry, signal };
  const scope = new SweptProjectsScope(parent, assetTypes);
  const now = options.now ?? (() => new Date());

  const query = (
    contentType: AssetQuery['contentType'],
    types: readonly string[],
    readTime: string | null,
    size = POLICY_PAGE_SIZE,
    under = parent,
  ): AssetQuery => ({ parent: under, contentType, assetTypes: types, pageSize: size, readTime });

  /** The snapshot and the policies of a run. */
  async function prepare(saved: SavedPosition | null) {
    scope.reset();
    const projects = await listAll(
      settings,
      query('CONTENT_TYPE_UNSPECIFIED', [PROJECT_TYPE], saved?.readTime ?? null),
    );
    const readTime = saved?.readTime ?? projects.readTime;
    if (readTime === null) throw new Error(`listAssets under ${parent} answered no read_time`);
    scope.cover(projects.assets);
    const org =
      orgPolicyParent === null
        ? []
        : (
            await listAll(
              settings,
              query('ORG_POLICY', ORG_POLICY_TYPES, readTime, POLICY_PAGE_SIZE, orgPolicyParent),
            )
          ).assets;
    const iam = (await listAll(settings, query('IAM_POLICY', assetTypes, readTime))).assets;
    scope.see(iam);
    // A network's firewall rules apply together, after the hierarchical firewall policies above
    // them: each page's are judged with the others' denies and with those policies, which are
    // associated with the organization and folders (listed under the organization when known).
    const sweepsFirewalls = assetTypes.includes(FIREWALL_TYPE);
    const firewalls = sweepsFirewalls
      ? (await listAll(settings, query('RESOURCE', [FIREWALL_TYPE], readTime, MAX_PAGE_SIZE)))
          .assets
      : [];
    const policies = sweepsFirewalls
      ? (
          await listAll(
            settings,
            query('RESOURCE', [FIREWALL_POLICY_TYPE], readTime, MAX_PAGE_SIZE, hierarchyParent),
          )
        ).assets
      : [];
    return {
      readTime,
      held: new HeldPolicies(iam, org),
      firewalls: new HeldFirewalls(firewalls, policies, FIREWALLS_SOURCE),
    };
  }

  /** Asset names of `types` that have a RESOURCE record at the snapshot. */
  async function withResource(types: readonly string[], readTime: string): Promise<Set<string>> {
    const found = await listAll(settings, query('RESOURCE', types, readTime));
    return new Set(
      found.assets.flatMap((asset) => (typeof asset['name'] === 'string' ? [asset['name']] : [])),
    );
  }

  async function* run(saved: SavedPosition | null): AsyncGenerator<SweepPage> {
    const { readTime, held, firewalls } = await prepare(saved);
    const cursor = (position: SweepPosition) => encodeCursor({ position, readTime }, context);
    let position: SweepPosition = saved?.position ?? { phase: 'resources', pageToken: null };
    // Whether this run saw every RESOURCE page, so that it knows which IAM records were taken.
    const sawAllResources = position.phase === 'resources' && position.pageToken === null;

    while (position.phase === 'resources') {
      const page = await listPage(
        settings,
        query('RESOURCE', assetTypes, readTime, pageSize),
        position.pageToken,
      );
      scope.see(page.assets);
      position =
        page.nextPageToken === null
          ? { phase: 'leftovers', after: null }
          : { phase: 'resources', pageToken: page.nextPageToken };
      yield {
        cursor: cursor(position),
        documents:
          page.assets.length > 0
            ? [
                [
                  ...held.resourceDocument(page.assets),
                  ...firewalls.contextFor(page.assets, FIREWALLS_SOURCE),
                ],
              ]
            : [],
      };
    }

    const after = position.after;
    let leftovers = held
      .untaken()
      .filter((record) => after === null || String(record['name']) > after);
    if (!sawAllResources && leftovers.length > 0) {
      // Resumed: the RESOURCE pages of earlier runs took IAM records this run cannot know of.
      const types = [...new Set(leftovers.map((record) => String(record['assetType'])))];
      const taken = await withResource(types, readTime);
      leftovers = leftovers.filter((record) => !taken.has(String(record['name'])));
    }
    for (let start = 0; start < leftovers.length; start += pageSize) {
      const chunk = leftovers.slice(start, start + pageSize);
      const last = chunk[chunk.length - 1] as JsonObject;
      yield {
        cursor: cursor({ phase: 'leftovers', after: String(last['name']) }),
        documents: [held.leftoverDocument(chunk)],
      };
    }
  }

  async function* pages(after: string | null): AsyncGenerator<SweepPage> {
    // Read when the first page is asked for, before any call.
    const saved = startAt(after, context, new Date(now().getTime() - SNAPSHOT_LIFETIME_MS), logger);
    if (saved === null) {
      yield* run(null);
      return;
    }
    let yielded = false;
    try {
      for await (const page of run(saved)) {
        yielded = true;
        yield page;
      }
    } catch (error) {
      // The service refused the saved snapshot or page token before anything was read.
      if (yielded || grpcCodeOf(error) !== GRPC.INVALID_ARGUMENT) throw error;
      logger?.warn(
        { cursor: after?.slice(0, 200), reason: (error as Error).message },
        'saved sweep cursor refused by Cloud Asset Inventory: sweeping from the start',
      );
      yield* run(null);
    }
  }

  return Object.assign((after: string | null) => pages(after), { scope });
}

/**
 * Where a sweep resumed after `after` starts (null: from the beginning). A cursor that is
 * no cursor of this reader is an error, before any call.
 */
function startAt(
  after: string | null,
  context: CursorContext,
  oldest: Date,
  logger: Pick<PipelineLogger, 'warn'> | undefined,
): SavedPosition | null {
  if (after === null) return null;
  try {
    return decodeCursor(after, context, oldest);
  } catch (error) {
    if (!(error instanceof CursorOfOtherSweepError)) throw error;
    logger?.warn(
      { cursor: after.slice(0, 200), reason: error.message },
      'saved sweep cursor is of another sweep: sweeping from the start',
    );
    return null;
  }
}
