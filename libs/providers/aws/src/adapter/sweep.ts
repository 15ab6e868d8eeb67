import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  runSweep,
  type PipelineDeps,
  type SweepProgressReport,
  type SweepSummary,
} from '@drift-detective/pipeline';
import { configSweepReader, defaultSweepTypes } from '../config/config-sweep.js';
import { sweepScope } from '../config/sweep-scope.js';
import { awsInventory } from '../inventory.js';
import { SUPPORTED_TYPES } from '../normalize/registry.js';
import type { AwsClients } from './clients.js';
import type { AwsAdapterConfig } from './config.js';

/** What an AWS sweep is wired to: the pipeline's parts except the inventory, which is AWS's. */
export type AwsPipelineDeps = Omit<PipelineDeps, 'inventory'>;

export interface AwsSweepOptions {
  readonly config: AwsAdapterConfig;
  readonly clients: AwsClients;
  readonly deps: AwsPipelineDeps;
  /** Stops between pages; a stopped sweep resolves nothing and resumes on its next run. */
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((region: string, progress: SweepProgressReport) => void) | undefined;
}

export interface RegionSweep extends SweepSummary {
  readonly sweepId: string;
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
 * Sweeps each configured region through AWS Config, or the aggregator (read
 * in the first region). Each region is a sweep of its own, with its own
 * scope and checkpoint: an unreachable region never resolves another's
 * findings, and an interrupted sweep resumes after its last saved page.
 * Only the home region's sweep (homeRegion, default the first region) may
 * resolve the findings of the global IAM types.
 */
export async function awsSweep(options: AwsSweepOptions): Promise<RegionSweep[]> {
  const { config, clients, deps } = options;
  const types = sweptTypes(config);
  const regions = config.regions.length > 0 ? config.regions : [await clients.defaultRegion()];
  const homeRegion = config.homeRegion ?? (regions[0] as string);
  const logger = deps.logger;
  const done: RegionSweep[] = [];
  for (const region of config.aggregator ? regions.slice(0, 1) : regions) {
    if (options.signal?.aborted) break;
    const client = clients.config(region);
    let account: string;
    let sweepId: string;
    let scope;
    if (config.aggregator) {
      account = config.aggregator;
      sweepId = `aws/aggregator/${config.aggregator}`;
      const aggregator = { name: config.aggregator };
      scope = await sweepScope({ client, aggregator, resourceTypes: types, logger });
    } else {
      const identity = await clients.sts(region).send(new GetCallerIdentityCommand({}));
      if (!identity.Account) throw new Error(`STS GetCallerIdentity in ${region} named no account`);
      account = identity.Account;
      sweepId = `aws/${account}/${region}`;
      scope = await sweepScope({ client, account, resourceTypes: types, homeRegion, logger });
    }
    logger?.info(
      {
        sweepId,
        accounts: scope.accounts && [...scope.accounts],
        kinds: scope.kinds && [...scope.kinds],
        regions: scope.regions && [...scope.regions],
      },
      'sweep scope',
    );
    const summary = await runSweep(
      configSweepReader({
        client,
        resourceTypes: types,
        logger,
        ...(config.aggregator ? { aggregator: { name: config.aggregator } } : {}),
      }),
      { ...deps, inventory: awsInventory },
      {
        sweepId,
        scope,
        signal: options.signal,
        onProgress: (progress) => options.onProgress?.(region, progress),
      },
    );
    done.push({ ...summary, sweepId, account, region });
  }
  return done;
}
