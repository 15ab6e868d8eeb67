import type { AzureClients } from '../arm/clients.js';
import { asObject, asText, isObject } from '../decode/json.js';
import { SUBSCRIPTIONS_QUERY } from './kql.js';
import { allRows, MAX_PAGE_SIZE } from './query-pages.js';

/** A subscription under a management group. */
export interface GroupSubscription {
  readonly subscriptionId: string;
  /** The display name, when Resource Graph gives it. */
  readonly name: string | null;
  /** Enabled, Warned, PastDue, Disabled or Deleted, when Resource Graph gives it. */
  readonly state: string | null;
}

export interface ManagementGroupOptions {
  readonly clients: Pick<AzureClients, 'resourceGraph'>;
  /** The management group's name (its id's last segment). */
  readonly managementGroup: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The subscriptions under a management group, from `resourcecontainers`,
 * so a management-group sweep runs one sweep per subscription, each its own
 * scope (a subscription that cannot be read resolves nothing). With
 * allowPartialScopes, a group holding more subscriptions than one query may
 * cover still answers (for the first ones) instead of failing
 * (https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources#queryrequestoptions).
 * Sorted by id; a row without a subscription id is left out.
 */
export async function managementGroupSubscriptions(
  options: ManagementGroupOptions,
): Promise<GroupSubscription[]> {
  if (options.managementGroup.trim() === '')
    throw new TypeError('a management group name is needed');
  const rows = await allRows(
    options.clients,
    {
      query: SUBSCRIPTIONS_QUERY,
      operation: `Resource Graph query (resourcecontainers of ${options.managementGroup})`,
      scope: { managementGroups: [options.managementGroup] },
      top: MAX_PAGE_SIZE,
      allowPartialScopes: true,
    },
    options.signal,
  );
  return rows.flatMap((row) => {
    if (!isObject(row)) return [];
    const subscriptionId = asText(row['subscriptionId']);
    if (subscriptionId === null) return [];
    return [
      {
        subscriptionId,
        name: asText(row['name']),
        state: asText(asObject(row['properties'])?.['state']),
      },
    ];
  });
}
