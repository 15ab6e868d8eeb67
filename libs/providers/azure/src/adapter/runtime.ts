import { DefaultAzureCredential } from '@azure/identity';
import type { StateStore } from '@drift-detective/findings';
import {
  adapterPipelineDeps,
  openAdapterState,
  type AdapterRuntimeOptions,
  type PipelineDeps,
} from '@drift-detective/pipeline';
import { createAzureClients, type AzureClients } from '../arm/clients.js';
import { DefenderPublisher } from '../defender/publisher.js';
import type { AzureAdapterConfig } from './config.js';

/** What an Azure sweep or webhook is wired to: the pipeline's parts except the inventory. */
export type AzurePipelineDeps = Omit<PipelineDeps, 'inventory'>;

/** Everything a sweep or the webhook runs on, built once per process (or Functions worker). */
export interface AzureRuntime {
  readonly config: AzureAdapterConfig;
  readonly clients: AzureClients;
  readonly deps: AzurePipelineDeps;
  close(): Promise<void>;
}

/** What the runtime is built from: the services every adapter starts, and its settings. */
export type AzureRuntimeOptions = AdapterRuntimeOptions<AzureAdapterConfig>;

/**
 * Builds the clients on DefaultAzureCredential (a managed identity in
 * Functions and on VMs, workload identity on Kubernetes, the Azure CLI's
 * login on a workstation: never a key in a setting), opens the state file and
 * the publisher (Defender for Cloud, or JSON lines for a dry run). Throws
 * StateStoreError when the state file cannot be used.
 */
export async function openAzureRuntime(options: AzureRuntimeOptions): Promise<AzureRuntime> {
  const { config, logger } = options;
  const clients = createAzureClients({
    credential: new DefaultAzureCredential(),
    endpoint: config.resourceManagerEndpoint,
    audience: config.resourceManagerAudience ?? undefined,
    timeouts: {
      connectTimeoutMs: config.connectTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
    },
    logger,
  });
  const store: StateStore = await openAdapterState(
    config.statePath,
    'drift-detective azure',
    logger,
    config.concurrency,
  );
  const deps: AzurePipelineDeps = adapterPipelineDeps(
    options,
    store,
    () => new DefenderPublisher({ clients, logger, signal: options.signal }),
  );
  return {
    config,
    clients,
    deps,
    async close() {
      await store.close();
    },
  };
}
