import type { Writable } from 'node:stream';
import { DefaultAzureCredential } from '@azure/identity';
import type { Observation, SqliteStateStore, WaiverRef } from '@drift-detective/findings';
import {
  createMemoryMetrics,
  hubOrDryRun,
  openAdapterState,
  type PipelineDeps,
  type PipelineLogger,
  type PipelineMetrics,
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
  close(): void;
}

export interface AzureRuntimeOptions {
  readonly config: AzureAdapterConfig;
  readonly engine: PipelineDeps['engine'];
  readonly logger: PipelineLogger;
  /** Where --dry-run writes findings (JSON lines). */
  readonly dryRunOut: Writable;
  readonly waiverFor?: ((observation: Observation) => WaiverRef | undefined) | undefined;
  readonly metrics?: PipelineMetrics | undefined;
  /**
   * Cuts Defender calls in flight when it aborts: a sweep's stop (the
   * findings stay pending in the state and go out on the next run). The
   * webhook leaves it out, to finish what it started.
   */
  readonly signal?: AbortSignal | undefined;
}

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
  const store: SqliteStateStore = await openAdapterState(
    config.statePath,
    'drift-detective azure',
    logger,
  );
  const deps: AzurePipelineDeps = {
    engine: options.engine,
    store,
    publisher: hubOrDryRun(
      config.dryRun,
      options.dryRunOut,
      () => new DefenderPublisher({ clients, logger, signal: options.signal }),
    ),
    logger,
    metrics: options.metrics ?? createMemoryMetrics(),
    waiverFor: options.waiverFor,
  };
  return {
    config,
    clients,
    deps,
    close() {
      store.close();
    },
  };
}
