import type { StateStore } from '@drift-detective/findings';
import {
  adapterPipelineDeps,
  openAdapterState,
  type AdapterRuntimeOptions,
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
  close(): Promise<void>;
}

/** What the runtime is built from: the services every adapter starts, and its settings. */
export type AwsRuntimeOptions = AdapterRuntimeOptions<AwsAdapterConfig>;

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
  let store: StateStore;
  try {
    store = await openAdapterState(
      config.statePath,
      'drift-detective aws',
      logger,
      config.concurrency,
    );
  } catch (error) {
    clients.destroy();
    throw error;
  }
  const deps: AwsPipelineDeps = adapterPipelineDeps(
    options,
    store,
    () =>
      new SecurityHubPublisher({
        clientFor: (region, account) => clients.securityHub(region, account),
        homeRegion,
        logger,
        signal: options.signal,
      }),
  );
  return {
    config,
    clients,
    homeRegion,
    deps,
    async close() {
      try {
        await store.close();
      } finally {
        clients.destroy();
      }
    },
  };
}
