import {
  SettingsError,
  sweepShards,
  type ShardSweep,
  type SweepProgressReport,
  type SweepShard,
} from '@drift-detective/pipeline';
import type { AzureClients } from '../arm/clients.js';
import { managementGroupSubscriptions } from '../graph/management-group.js';
import { sweepTypes } from '../graph/sweep-plan.js';
import { resourceGraphSweep } from '../graph/sweep-reader.js';
import { sweepScopeOf } from '../graph/sweep-scope.js';
import { azureInventory } from '../inventory.js';
import type { AzureAdapterConfig } from './config.js';
import type { AzurePipelineDeps } from './runtime.js';

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

export interface AzureSweepOptions {
  readonly config: AzureAdapterConfig;
  readonly clients: AzureClients;
  readonly deps: AzurePipelineDeps;
  /**
   * A stop: cuts the Azure call in flight (it then throws) or ends the sweep
   * after the page it saved last; either way it resolves nothing and the next
   * run resumes after that page.
   */
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((subscription: string, progress: SweepProgressReport) => void) | undefined;
}

/** One subscription's sweep (the shard named by its id), or why it could not run. */
export type SubscriptionSweep = ShardSweep;

/** The types a sweep reads (canonical case); one it cannot read is a settings mistake, named. */
export function sweptAzureTypes(config: Pick<AzureAdapterConfig, 'resourceTypes'>): string[] {
  try {
    return sweepTypes(config.resourceTypes ?? undefined);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new SettingsError(`--resource-types: ${error.message}`);
    }
    throw error;
  }
}

/** The subscriptions a sweep covers: those named, or a management group's. */
async function subscriptionsToSweep(options: AzureSweepOptions): Promise<string[]> {
  const { config } = options;
  if (config.managementGroup !== null && config.subscriptions.length > 0) {
    throw new SettingsError('sweep either named subscriptions or a management group, not both');
  }
  if (config.managementGroup !== null) {
    const found = await managementGroupSubscriptions({
      clients: options.clients,
      managementGroup: config.managementGroup,
      signal: options.signal,
    });
    options.deps.logger?.info(
      { managementGroup: config.managementGroup, subscriptions: found.length },
      'management group subscriptions listed',
    );
    await warnUnlisted(
      options,
      found.map((s) => s.subscriptionId),
    );
    return found.map((s) => s.subscriptionId);
  }
  if (config.subscriptions.length === 0) {
    throw new SettingsError(
      'azure sweep needs subscriptions (--subscriptions, DRIFT_AZURE_SUBSCRIPTIONS) or a management group (--management-group)',
    );
  }
  for (const subscription of config.subscriptions) {
    if (!SUBSCRIPTION_ID.test(subscription)) {
      throw new SettingsError(`subscription '${subscription}' is not a subscription id (a GUID)`);
    }
  }
  return [...config.subscriptions];
}

/**
 * Names the subscriptions with open findings that the management group did
 * not list: one the identity may no longer read (Resource Graph leaves it out
 * of the group's answer), or one moved out of the group. Neither is swept, so
 * their findings stay as they are, never resolved for want of a read.
 */
async function warnUnlisted(options: AzureSweepOptions, listed: readonly string[]): Promise<void> {
  const known = new Set(listed.map((s) => s.toLowerCase()));
  const unlisted = new Map<string, number>();
  for (const finding of await options.deps.store.openFindings('azure')) {
    const account = finding.account.toLowerCase();
    if (account !== '' && !known.has(account)) {
      unlisted.set(account, (unlisted.get(account) ?? 0) + 1);
    }
  }
  if (unlisted.size === 0) return;
  options.deps.logger?.warn(
    {
      managementGroup: options.config.managementGroup,
      unlisted: Object.fromEntries(unlisted),
    },
    'subscriptions with open findings that the management group did not list (unreadable or moved) were not swept: their findings are left as they are',
  );
}

/**
 * Sweeps each subscription through Resource Graph, one after the other: each
 * a shard with its own scope and checkpoint (see sweepShards).
 */
export async function azureSweep(options: AzureSweepOptions): Promise<SubscriptionSweep[]> {
  const { deps } = options;
  const types = sweptAzureTypes(options.config);
  const subscriptions = await subscriptionsToSweep(options);
  const shards: SweepShard[] = subscriptions.map((subscription) => ({
    name: subscription,
    sweepId: `azure/${subscription.toLowerCase()}`,
    scope: sweepScopeOf(subscription, types),
    reader: resourceGraphSweep({
      clients: options.clients,
      subscription,
      types,
      signal: options.signal,
      logger: deps.logger,
    }),
  }));
  return sweepShards(
    shards,
    { ...deps, inventory: azureInventory },
    { signal: options.signal, onProgress: options.onProgress },
  );
}
