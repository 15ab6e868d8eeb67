import type { Writable } from 'node:stream';
import type { Observation, SqliteStateStore, WaiverRef } from '@drift-detective/findings';
import {
  createMemoryMetrics,
  hubOrDryRun,
  openAdapterState,
  SettingsError,
  type PipelineDeps,
  type PipelineLogger,
  type PipelineMetrics,
} from '@drift-detective/pipeline';
import { createGcpClients, type GcpClients } from '../grpc/clients.js';
import { SccPublisher } from '../scc/index.js';
import type { GcpAdapterConfig } from './config.js';

/** What a GCP sweep or push endpoint is wired to: the pipeline's parts except the inventory. */
export type GcpPipelineDeps = Omit<PipelineDeps, 'inventory'>;

/** Everything a sweep or the push endpoint runs on, built once per process. */
export interface GcpRuntime {
  readonly config: GcpAdapterConfig;
  readonly clients: GcpClients;
  readonly deps: GcpPipelineDeps;
  close(): Promise<void>;
}

export interface GcpRuntimeOptions {
  readonly config: GcpAdapterConfig;
  readonly engine: PipelineDeps['engine'];
  readonly logger: PipelineLogger;
  /** Where --dry-run writes findings (JSON lines). */
  readonly dryRunOut: Writable;
  readonly waiverFor?: ((observation: Observation) => WaiverRef | undefined) | undefined;
  readonly metrics?: PipelineMetrics | undefined;
  /**
   * Cuts SCC calls in flight when it aborts: a sweep's stop (the findings
   * stay pending in the state and go out on the next run). The push endpoint
   * leaves it out, to finish what it started.
   */
  readonly signal?: AbortSignal | undefined;
}

/** The organization SCC findings go under: required unless nothing is published. */
function organizationFor(config: GcpAdapterConfig): string {
  if (config.organization === null) {
    throw new SettingsError(
      'Security Command Center findings live under an organization: set --organization (DRIFT_GCP_ORGANIZATION), or --dry-run',
    );
  }
  return config.organization;
}

/**
 * Builds the clients on Application Default Credentials (never a key in a
 * setting), opens the state file and the publisher (Security Command Center,
 * or JSON lines for a dry run). Throws StateStoreError when the state file
 * cannot be used.
 */
export async function openGcpRuntime(options: GcpRuntimeOptions): Promise<GcpRuntime> {
  const { config, logger } = options;
  const organization = config.dryRun ? null : organizationFor(config);
  const clients = createGcpClients({
    endpoint: config.endpoint,
    plaintext: config.plaintext,
    requestTimeoutMs: config.requestTimeoutMs,
  });
  let store: SqliteStateStore;
  try {
    store = await openAdapterState(config.statePath, 'drift-detective gcp', logger);
  } catch (error) {
    await clients.close();
    throw error;
  }
  const deps: GcpPipelineDeps = {
    engine: options.engine,
    store,
    publisher: hubOrDryRun(
      config.dryRun,
      options.dryRunOut,
      () =>
        new SccPublisher({
          clients,
          organization: organization ?? '',
          sourceDisplayName: config.sourceDisplayName,
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
    deps,
    async close() {
      store.close();
      await clients.close();
    },
  };
}
