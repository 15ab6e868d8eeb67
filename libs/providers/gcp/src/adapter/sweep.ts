import {
  SettingsError,
  sweepShards,
  type ShardSweep,
  type SweepProgressReport,
  type SweepShard,
} from '@drift-detective/pipeline';
import { assetSweep, parseSweepParent, sweptGcpTypes } from '../asset-api/index.js';
import type { GcpClients } from '../grpc/clients.js';
import { gcpInventory } from '../inventory.js';
import type { GcpAdapterConfig } from './config.js';
import type { GcpPipelineDeps } from './runtime.js';

export interface GcpSweepOptions {
  readonly config: GcpAdapterConfig;
  readonly clients: GcpClients;
  readonly deps: GcpPipelineDeps;
  /**
   * A stop: cuts the Google call in flight or ends the sweep after the page
   * it saved last; either way it resolves nothing and the next run resumes
   * after that page.
   */
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((parent: string, progress: SweepProgressReport) => void) | undefined;
}

/** The asset types a sweep reads; one it cannot read is a settings mistake, named. */
export function sweptTypesOf(config: Pick<GcpAdapterConfig, 'assetTypes'>): string[] {
  try {
    return sweptGcpTypes(config.assetTypes ?? undefined);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new SettingsError(`--asset-types: ${error.message}`);
    }
    throw error;
  }
}

/**
 * What a sweep covers: the projects named, else the folders named, else the
 * organization. Each is a listAssets parent of its own
 * (https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#listassetsrequest).
 */
export function sweepParents(
  config: Pick<GcpAdapterConfig, 'projects' | 'folders' | 'organization'>,
): string[] {
  if (config.projects.length > 0 && config.folders.length > 0) {
    throw new SettingsError('sweep either named projects or folders, not both');
  }
  const [setting, parents] =
    config.projects.length > 0
      ? ['--projects', config.projects.map((p) => `projects/${p}`)]
      : config.folders.length > 0
        ? ['--folders', config.folders.map((f) => `folders/${f}`)]
        : config.organization === null
          ? ['', []]
          : ['--organization', [`organizations/${config.organization}`]];
  if (parents.length === 0) {
    throw new SettingsError(
      'gcp sweep needs projects (--projects, DRIFT_GCP_PROJECTS), folders (--folders) or an organization (--organization, DRIFT_GCP_ORGANIZATION)',
    );
  }
  return parents.map((parent) => {
    try {
      return parseSweepParent(parent).name;
    } catch (error) {
      throw new SettingsError(`${setting}: ${(error as Error).message}`);
    }
  });
}

/**
 * Sweeps each parent through Cloud Asset Inventory, one after the other: each
 * a shard with its own scope and checkpoint (see sweepShards).
 */
export async function gcpSweep(options: GcpSweepOptions): Promise<ShardSweep[]> {
  const { deps } = options;
  const types = sweptTypesOf(options.config);
  const shards: SweepShard[] = sweepParents(options.config).map((parent) => {
    const reader = assetSweep({
      clients: options.clients,
      parent,
      assetTypes: types,
      // Policies set above a project or folder are inherited by its buckets,
      // but listing under it returns only those set inside it.
      orgPolicyParent:
        options.config.organization === null
          ? undefined
          : `organizations/${options.config.organization}`,
      signal: options.signal,
      logger: deps.logger,
    });
    // The reader's own scope: the projects it listed under the parent at its
    // snapshot, known once it has read them (see SweptProjectsScope).
    return { name: parent, sweepId: `gcp/${parent}`, scope: reader.scope, reader };
  });
  return sweepShards(
    shards,
    { ...deps, inventory: gcpInventory },
    { signal: options.signal, onProgress: options.onProgress },
  );
}
