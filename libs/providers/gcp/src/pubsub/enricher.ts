import { NormalizeError } from '@drift-detective/resource-model';
import { isTemporalAsset, readRecord, type AssetRecord } from '../asset.js';
import { isObject, type JsonObject } from '../decode/values.js';
import { unwrapDocument } from '../envelope/unwrap.js';
import { laterOf, stateAt } from './as-of.js';
import type { AssetHistoryReader } from './history.js';
import { needsOrgPolicies } from '../asset-api/sweep-types.js';
import type { NetworkFirewallReader } from './network-firewalls.js';
import { networkRecords } from './network-rules.js';

export interface AssetFeedEnricherOptions {
  /** cloudAssetHistoryReader(clients, {parent}), or a reader of the tests' own. */
  readonly history: AssetHistoryReader;
  /**
   * cloudAssetFirewallReader(clients): a firewall rule's network's other rules, and the firewall
   * policies above it (network-rules.ts).
   */
  readonly firewalls: NetworkFirewallReader;
  /**
   * The parent the history is read under ("organizations/123", "projects/…"): the ancestors
   * whose org policies can be read are those at or below it.
   */
  readonly parent: string;
  /** Time allowed for all the reads of one message, in ms (default 10 s). */
  readonly readTimeoutMs?: number | undefined;
}

export const DEFAULT_ENRICH_TIMEOUT_MS = 10_000;

/** What the enricher throws when the rest of an asset cannot be read now: the pipeline retries. */
export class FeedEnrichmentError extends Error {
  override readonly name = 'FeedEnrichmentError';
}

/**
 * The pipeline's `enrich` for Cloud Asset feed messages (a Pub/Sub push envelope, or the
 * TemporalAsset itself). A feed has one content type, so its message carries one part of the
 * asset: a RESOURCE feed message has no IAM policy, an IAM_POLICY one (how a bucket is made
 * public) no resource data (https://cloud.google.com/asset-inventory/docs/monitor-asset-changes).
 * Judged alone, the missing part reads as unknown and every finding whose evidence lies there
 * would be resolved. So, for a message that is not a deletion, the other part as it was at the
 * message's window.startTime is read with batchGetAssetsHistory and joined to it, and so are,
 * for a bucket, the org policies of its ancestors that the parent covers (what a sweep under
 * the same parent reads, so the two judge alike). The answer is a document the inventory reads
 * as usual: the joined feed message (window, priorAsset and priorAssetState kept, so the
 * change keeps its fields whichever part changed) and the ancestors' ORG_POLICY states as
 * context. The joined asset's updateTime is the later of the two parts': that state held then.
 *
 * - the other part does not exist: an asset without an IAM policy (the history answers none:
 *   "outputs history when the asset and its attached IAM POLICY both exist") stands alone,
 *   which is what it is; an IAM policy whose RESOURCE is missing is never judged alone: that
 *   is an error, retried (Cloud Asset itself says of such an asset that it does not exist);
 * - the RESOURCE was deleted by then: the deletion is what is judged;
 * - a message carrying neither part (ORG_POLICY, ACCESS_POLICY, OS_INVENTORY… feeds) judges
 *   nothing (an empty document): a project's org policy change reaches its buckets at the next
 *   sweep;
 * - a firewall rule comes with the other rules of its network as of the message time, as
 *   context or re-judged when the change may touch the network's denies, and with the
 *   hierarchical firewall policies above it (network-rules.ts);
 *   a firewall rule's deletion re-judges them;
 * - other deletions, the feed's welcome message and other documents pass unchanged.
 * A message that cannot be read throws NormalizeError (dead-lettered by the pipeline); a failed
 * read throws anything else, so the message is nacked and Pub/Sub delivers it again.
 */
export function assetFeedEnricher(
  options: AssetFeedEnricherOptions,
): (document: unknown, source: string) => Promise<unknown> {
  const timeoutMs = options.readTimeoutMs ?? DEFAULT_ENRICH_TIMEOUT_MS;
  return async (document, source) => {
    const message = feedMessageOf(document, source);
    if (message === null) return document;
    const record = readRecord(message, source);
    const { asset } = record;
    const signal = AbortSignal.timeout(timeoutMs);
    const network = (time: string | null) =>
      networkRecords(
        record,
        time,
        source,
        (parent, assetType) => options.firewalls({ parent, assetType, at: time }, signal),
        options.parent,
      );
    if (record.deleted) {
      // A deleted firewall rule may have been the deny that shadowed its network's allows.
      const rejudged = await network(record.windowStart ?? asset.updateTime);
      return rejudged.length === 0 ? document : [message, ...rejudged];
    }
    if (asset.resource === null && asset.iamPolicy === null) return [];
    const at = record.windowStart ?? asset.updateTime;
    if (at === null) {
      throw new NormalizeError(
        source,
        'feed message without window.startTime: its time is unknown',
      );
    }
    const read = (assetNames: string[], contentType: 'RESOURCE' | 'IAM_POLICY' | 'ORG_POLICY') =>
      options.history({ assetNames, contentType, since: at }, signal);

    let joined: JsonObject = message;
    if (asset.resource === null || asset.iamPolicy === null) {
      const wanted = asset.resource === null ? 'RESOURCE' : 'IAM_POLICY';
      const other = stateAt(await read([asset.name], wanted), asset.name, at);
      if (other !== null && other['deleted'] === true) {
        if (wanted === 'RESOURCE') return [other];
      } else if (other !== null) {
        joined = join(message, other, wanted);
      } else if (wanted === 'RESOURCE') {
        throw new FeedEnrichmentError(
          `the RESOURCE of ${asset.name} is not in Cloud Asset Inventory as of ${at}: its IAM policy is not judged alone`,
        );
      }
    }
    // A bucket's public access prevention may be enforced on its project, folder or organization.
    const context = needsOrgPolicies([asset.assetType])
      ? await orgPolicyStates(joined, source, options.parent, at, read)
      : [];
    return [joined, ...context, ...(await network(at))];
  };
}

/** The TemporalAsset a document carries as a feed message, or null for anything else. */
function feedMessageOf(document: unknown, source: string): JsonObject | null {
  const records = unwrapDocument(document, source);
  const value = records.length === 1 ? records[0]?.value : undefined;
  return isObject(value) && isTemporalAsset(value) ? value : null;
}

const PARTS = { RESOURCE: 'resource', IAM_POLICY: 'iamPolicy' } as const;

/** The feed message with the other part's content, and the later updateTime of the two. */
function join(message: JsonObject, other: JsonObject, wanted: keyof typeof PARTS): JsonObject {
  const feedAsset = message['asset'] as JsonObject;
  const otherAsset = isObject(other['asset']) ? other['asset'] : {};
  const field = PARTS[wanted];
  const { update_time: snakeTime, updateTime, ...rest } = feedAsset;
  const time = laterOf(updateTime ?? snakeTime, otherAsset['updateTime']);
  return {
    ...message,
    asset: {
      ...rest,
      ...(rest['ancestors'] === undefined && otherAsset['ancestors'] !== undefined
        ? { ancestors: otherAsset['ancestors'] }
        : {}),
      [field]: otherAsset[field],
      ...(time === null ? {} : { updateTime: time }),
    },
  };
}

/**
 * The ORG_POLICY states, as of `at`, of the ancestors the parent covers (nearest first, up to
 * and including the parent): an organization parent covers them all; a project parent only
 * the project. Ancestors above the parent stay unknown here as in a sweep under that parent.
 */
async function orgPolicyStates(
  joined: JsonObject,
  source: string,
  parent: string,
  at: string,
  read: (names: string[], type: 'ORG_POLICY') => Promise<JsonObject[]>,
): Promise<JsonObject[]> {
  const record: AssetRecord = readRecord(joined, source);
  const nodes = coveredAncestors(record.asset.ancestors ?? [], parent);
  if (nodes.length === 0) return [];
  const names = nodes.map((node) => `//cloudresourcemanager.googleapis.com/${node}`);
  const states = await read(names, 'ORG_POLICY');
  return names
    .map((name) => stateAt(states, name, at))
    .filter((s): s is JsonObject => s !== null && s['deleted'] !== true);
}

export function coveredAncestors(ancestors: readonly string[], parent: string): string[] {
  const index = ancestors.indexOf(parent);
  if (index >= 0) return ancestors.slice(0, index + 1);
  // A project parent named by id: the ancestors name it by number, and an asset under it
  // lies in it, so its nearest project is that project.
  if (parent.startsWith('projects/')) {
    const project = ancestors.find((a) => a.startsWith('projects/'));
    return project === undefined ? [] : [project];
  }
  return [];
}
