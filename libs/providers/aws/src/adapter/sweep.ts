import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { CoveredScope } from '@drift-detective/findings';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  countingTransitions,
  runSweep,
  type PipelineDeps,
  type ScopeSweep,
  type SweepProgressReport,
} from '@drift-detective/pipeline';
import { configSweepReader, defaultSweepTypes } from '../config/config-sweep.js';
import { sweepScope } from '../config/sweep-scope.js';
import { isAccountId, shown } from '../decode/account-id.js';
import { awsInventory } from '../inventory.js';
import { SUPPORTED_TYPES } from '../normalize/registry.js';
import { abortOptions } from '../sdk/abort.js';
import { AwsAnswerError } from '../sdk/call-errors.js';
import type { AwsClients } from './clients.js';
import type { AwsAdapterConfig } from './config.js';

/** What an AWS sweep is wired to: the pipeline's parts except the inventory, which is AWS's. */
export type AwsPipelineDeps = Omit<PipelineDeps, 'inventory'>;

export interface AwsSweepOptions {
  readonly config: AwsAdapterConfig;
  readonly clients: AwsClients;
  readonly deps: AwsPipelineDeps;
  /**
   * A stop: cuts the AWS call in flight (it then throws) or ends the sweep
   * after the page it saved last; either way it resolves nothing and the next
   * run resumes after that page.
   */
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((region: string, progress: SweepProgressReport) => void) | undefined;
}

export interface RegionSweep extends ScopeSweep {
  /** The account swept, or the aggregator's name. */
  readonly account: string;
  readonly region: string;
}

/** The resource types a sweep reads; an unsupported one is a settings mistake, named. */
export function sweptTypes(config: Pick<AwsAdapterConfig, 'resourceTypes'>): string[] {
  if (config.resourceTypes === null) return defaultSweepTypes();
  for (const type of config.resourceTypes) {
    if (!Object.hasOwn(SUPPORTED_TYPES, type)) {
      throw new Error(
        `resource type ${type} is not supported (supported: ${defaultSweepTypes().join(', ')})`,
      );
    }
  }
  return [...config.resourceTypes];
}

/**
 * One shard of an AWS sweep: an account (named, swept through the member
 * role; or null, the credentials' own) in one region, or the aggregator.
 */
export type AwsShard =
  | { readonly account: string | null; readonly region: string; readonly aggregator?: undefined }
  | { readonly aggregator: string; readonly region: string; readonly account?: undefined };

/**
 * The shard's name in a sweep request: `us-east-1` (the own account),
 * `111122223333/us-east-1` (a named account), `aggregator/<name>`.
 */
export function awsShardName(shard: AwsShard): string {
  if (shard.aggregator !== undefined) return `aggregator/${shard.aggregator}`;
  return shard.account === null ? shard.region : `${shard.account}/${shard.region}`;
}

/**
 * The shards the settings sweep: each named account (or the own one) in each
 * region (default the SDK's), or the aggregator, read in the first region.
 */
export async function awsShards(
  config: Pick<AwsAdapterConfig, 'regions' | 'accounts' | 'aggregator'>,
  clients: Pick<AwsClients, 'defaultRegion'>,
): Promise<AwsShard[]> {
  if (config.accounts && config.aggregator) {
    throw new Error('sweep either named accounts or an aggregator, not both');
  }
  const regions = config.regions.length > 0 ? config.regions : [await clients.defaultRegion()];
  if (config.aggregator) return [{ aggregator: config.aggregator, region: regions[0] as string }];
  return (config.accounts ?? [null]).flatMap((account) =>
    regions.map((region) => ({ account, region })),
  );
}

/**
 * Sweeps each shard of the settings through AWS Config, one after the other.
 * Each is a sweep of its own, with its own scope and checkpoint: an
 * unreachable region never resolves another's findings, and an interrupted
 * sweep resumes after its last saved page. Only the home region's sweep
 * (homeRegion, default the first region) may resolve the findings of the
 * global IAM types.
 */
export async function awsSweep(options: AwsSweepOptions): Promise<RegionSweep[]> {
  const done: RegionSweep[] = [];
  for (const shard of await awsShards(options.config, options.clients)) {
    if (options.signal?.aborted) break;
    done.push(await sweepAwsShard(options, shard));
  }
  return done;
}

/** Sweeps one shard: its scope read from AWS Config, then its pages from its checkpoint on. */
export async function sweepAwsShard(
  options: AwsSweepOptions,
  shard: AwsShard,
): Promise<RegionSweep> {
  const { config, clients, deps } = options;
  const types = sweptTypes(config);
  const logger = deps.logger;
  const { region } = shard;
  if (shard.aggregator !== undefined) {
    const client = clients.config(region);
    const aggregator = { name: shard.aggregator };
    const scope = await sweepScope({
      client,
      aggregator,
      resourceTypes: types,
      logger,
      signal: options.signal,
    });
    const summary = await sweepOne(options, {
      sweepId: `aws/aggregator/${shard.aggregator}`,
      region,
      client,
      scope,
      aggregator,
      types,
    });
    return { ...summary, account: shard.aggregator };
  }
  const named = shard.account ?? undefined;
  // Without regions configured the one region swept is the SDK's, and home too.
  const homeRegion = config.homeRegion ?? region;
  // The account the clients act as: a named one through the member role.
  const identity = await clients
    .sts(region, named)
    .send(new GetCallerIdentityCommand({}), abortOptions(options.signal));
  const account = identity.Account;
  if (!isAccountId(account)) {
    throw new AwsAnswerError(
      'STS GetCallerIdentity',
      `Account ${shown(account)} in ${region}, which is no account id (12 digits)`,
    );
  }
  if (named !== undefined && account !== named) {
    throw new Error(
      `sweeping account ${named} needs a member role to assume there (--member-role); the credentials act as ${account}`,
    );
  }
  const client = clients.config(region, named);
  const scope = await sweepScope({
    client,
    account,
    resourceTypes: types,
    homeRegion,
    logger,
    signal: options.signal,
  });
  const summary = await sweepOne(options, {
    sweepId: `aws/${account}/${region}`,
    region,
    client,
    scope,
    types,
  });
  return { ...summary, account };
}

/** One sweep: one account and region, or one aggregator. */
async function sweepOne(
  options: AwsSweepOptions,
  sweep: {
    sweepId: string;
    region: string;
    client: ConfigServiceClient;
    scope: CoveredScope;
    types: readonly string[];
    aggregator?: { name: string };
  },
): Promise<Omit<RegionSweep, 'account'>> {
  const { deps } = options;
  const { sweepId, region, client, scope } = sweep;
  deps.logger?.info(
    {
      sweepId,
      accounts: scope.accounts && [...scope.accounts],
      kinds: scope.kinds && [...scope.kinds],
      regions: scope.regions && [...scope.regions],
    },
    'sweep scope',
  );
  const { metrics, counts } = countingTransitions(deps.metrics);
  const summary = await runSweep(
    configSweepReader({
      client,
      resourceTypes: sweep.types,
      logger: deps.logger,
      signal: options.signal,
      ...(sweep.aggregator ? { aggregator: sweep.aggregator } : {}),
    }),
    { ...deps, metrics, inventory: awsInventory },
    {
      sweepId,
      scope,
      signal: options.signal,
      onProgress: (progress) => options.onProgress?.(region, progress),
    },
  );
  return { ...summary, sweepId, region, findings: counts() };
}
