import {
  GetResourceConfigHistoryCommand,
  type ConfigServiceClient,
  type ConfigurationItem,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { ConfigurationNotIncluded } from '@drift-detective/resource-model';
import { toPlainJson, type JsonValue } from './plain-json.js';

/** A GetResourceConfigHistory answer as the wire carries it: what awsInventory unwraps. */
export interface ConfigHistoryDocument {
  readonly configurationItems: JsonValue[];
}

/** Pages followed past empty ones before giving up (see latestItemDocument). */
export const DEFAULT_HISTORY_PAGES = 5;

export interface HistoryFetchOptions {
  readonly maxPages?: number | undefined;
}

/** One GetResourceConfigHistory page, after nextToken (undefined: the first). */
export type HistoryPage = (
  nextToken: string | undefined,
) => Promise<{ items: readonly ConfigurationItem[]; nextToken: string | undefined }>;

/**
 * The newest configuration item of a resource an event named without
 * carrying it (an oversized configuration item change notification:
 * https://docs.aws.amazon.com/config/latest/developerguide/oversized-notification-example.html),
 * as a {configurationItems: [item]} document in plain JSON for awsInventory.
 *
 * GetResourceConfigHistory lists newest first by default (chronologicalOrder
 * Reverse), so limit 1 asks for the newest item only
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_GetResourceConfigHistory.html).
 * The client must be of the region (and account) the resource is recorded in.
 */
export async function fetchLatestConfiguration(
  client: ConfigServiceClient,
  missing: ConfigurationNotIncluded,
  options: HistoryFetchOptions = {},
): Promise<ConfigHistoryDocument> {
  const { type, id } = missing.resource;
  const named = `${type ?? 'unknown type'} ${id ?? 'unknown id'} (${missing.source})`;
  if (!type || !id) {
    throw new Error(`cannot fetch the configuration of ${named}: the record names no type or id`);
  }
  const page: HistoryPage = async (nextToken) => {
    const answer = await client.send(
      new GetResourceConfigHistoryCommand({
        resourceType: type as ResourceType,
        resourceId: id,
        limit: 1,
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    return { items: answer.configurationItems ?? [], nextToken: answer.nextToken || undefined };
  };
  return latestItemDocument(page, named, options.maxPages ?? DEFAULT_HISTORY_PAGES);
}

/**
 * The first item of the history pages as a plain-JSON document.
 * configurationItems is a list, and a page may come back empty with a
 * nextToken (https://github.com/boto/boto3/issues/3647): empty pages are
 * followed up to maxPages. No item at all throws, naming the resource.
 */
export async function latestItemDocument(
  page: HistoryPage,
  named: string,
  maxPages: number,
): Promise<ConfigHistoryDocument> {
  let nextToken: string | undefined;
  for (let read = 1; read <= maxPages; read++) {
    const answer = await page(nextToken);
    const [item] = answer.items;
    if (item !== undefined) {
      return { configurationItems: [toPlainJson(item, 'configurationItems[0]')] };
    }
    if (answer.nextToken === undefined || answer.nextToken === nextToken) {
      throw new Error(`AWS Config has no configuration item for ${named}`);
    }
    nextToken = answer.nextToken;
  }
  throw new Error(`AWS Config returned no configuration item for ${named} in ${maxPages} page(s)`);
}
