import type { Writable } from 'node:stream';
import type { Observation, SqliteStateStore, WaiverRef } from '@drift-detective/findings';
import {
  createMemoryMetrics,
  hubOrDryRun,
  openAdapterState,
  type PipelineDeps,
  type PipelineLogger,
  type PipelineMetrics,
} from '@drift-detective/pipeline';
import { SecurityHubPublisher } from '../securityhub/publisher.js';
import { createAwsClients, sqsEndpointConfigured, type AwsClients } from './clients.js';
import type { AwsAdapterConfig } from './config.js';
import type { AwsPipelineDeps } from './sweep.js';

/** Everything a sweep or a worker runs on, built once per process (or Lambda environment). */
export interface AwsRuntime {
  readonly config: AwsAdapterConfig;
  readonly clients: AwsClients;
  /** Where IAM (global) findings go in Security Hub. */
  readonly homeRegion: string;
  readonly deps: AwsPipelineDeps;
  close(): void;
}

export interface AwsRuntimeOptions {
  readonly config: AwsAdapterConfig;
  readonly engine: PipelineDeps['engine'];
  readonly logger: PipelineLogger;
  /** Where --dry-run writes findings (JSON lines). */
  readonly dryRunOut: Writable;
  readonly waiverFor?: ((observation: Observation) => WaiverRef | undefined) | undefined;
  readonly metrics?: PipelineMetrics | undefined;
  /**
   * Cuts Security Hub calls in flight when it aborts: a sweep's stop (the
   * findings stay pending in the state and go out on the next run). A worker
   * leaves it out, to finish what it started.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Opens the state file, builds the clients and the publisher (Security Hub, or
 * JSON lines for a dry run), and settles the home region. Throws
 * StateStoreError when the state file cannot be used.
 */
export async function openAwsRuntime(options: AwsRuntimeOptions): Promise<AwsRuntime> {
  const { config, logger } = options;
  const clients = createAwsClients({
    memberRole: config.memberRole,
    timeouts: {
      connectTimeoutMs: config.connectTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
    },
    sqsEndpointConfigured: await sqsEndpointConfigured(),
  });
  const homeRegion = config.homeRegion ?? (await clients.defaultRegion());
  if (!config.homeRegionSet) {
    // IAM findings go to the home region's hub: a sweep and a worker defaulting
    // to different regions would publish the same finding to two hubs.
    logger.warn(
      { homeRegion },
      `home region not set: IAM (global) findings go to Security Hub in ${homeRegion}; set DRIFT_AWS_HOME_REGION (--home-region) to the same region for every sweep and worker`,
    );
  }
  let store: SqliteStateStore;
  try {
    store = await openAdapterState(config.statePath, 'drift-detective aws', logger);
  } catch (error) {
    clients.destroy();
    throw error;
  }
  const deps: AwsPipelineDeps = {
    engine: options.engine,
    store,
    publisher: hubOrDryRun(
      config.dryRun,
      options.dryRunOut,
      () =>
        new SecurityHubPublisher({
          clientFor: (region, account) => clients.securityHub(region, account),
          homeRegion,
          logger,
          signal: options.signal,
        }),
    ),
    logger,
    metrics: options.metrics ?? createMemoryMetrics(),
    waiverFor: options.waiverFor,
  };
  return {
    config,
    clients,
    homeRegion,
    deps,
    close() {
      store.close();
      clients.destroy();
    },
  };
}
