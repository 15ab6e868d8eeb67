import type { StateStore } from '@drift-detective/findings';
import {
  adapterPipelineDeps,
  openAdapterState,
  SettingsError,
  type AdapterRuntimeOptions,
  type PipelineDeps,
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

/** What the runtime is built from: the services every adapter starts, and its settings. */
export type GcpRuntimeOptions = AdapterRuntimeOptions<GcpAdapterConfig>;

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
  let store: StateStore;
  try {
    store = await openAdapterState(
      config.statePath,
      'drift-detective gcp',
      logger,
      config.concurrency,
    );
  } catch (error) {
    await clients.close();
    throw error;
  }
  const deps: GcpPipelineDeps = adapterPipelineDeps(
    options,
    store,
    () =>
      new SccPublisher({
        clients,
        organization: organization ?? '',
        sourceDisplayName: config.sourceDisplayName,
        logger,
        signal: options.signal,
      }),
  );
  return {
    config,
    clients,
    deps,
    async close() {
      try {
        await store.close();
      } finally {
        await clients.close();
      }
    },
  };
}
