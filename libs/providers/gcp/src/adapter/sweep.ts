import {
  readSweepRequest,
  runSweep,
  SettingsError,
  sweepRequestText,
  sweepShards,
  type ShardSweep,
  type SweepProgressReport,
  type SweepRequest,
  type SweepRequests,
  type SweepShard,
} from '@drift-detective/pipeline';
import { NormalizeError } from '@drift-detective/resource-model';
import { assetSweep, parseSweepParent, sweptGcpTypes } from '../asset-api/index.js';
import { decodePushData, isPubSubPush } from '../envelope/pubsub-push.js';
import type { GcpClients } from '../grpc/clients.js';
import { gcpInventory } from '../inventory.js';
import type { GcpAdapterConfig } from './config.js';
import type { GcpPipelineDeps } from './runtime.js';

/** The cloud a sweep request names for this adapter. */
const GCP_CLOUD = 'gcp';

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

/** What one parent's shard is built from: the settings, the clients, the pipeline's parts. */
export type GcpShardOptions = Pick<GcpSweepOptions, 'clients' | 'deps' | 'signal'> & {
  readonly config: Pick<GcpAdapterConfig, 'organization'>;
};

/**
 * One parent as a shard of its own: a reader of its assets through Cloud
 * Asset Inventory, the scope that reader learns (the projects it listed under
 * the parent at its snapshot, see SweptProjectsScope), and its checkpoint,
 * `gcp/<parent>`: the same for `gcp sweep` and a sweep request taken from
 * Pub/Sub, so either resumes what the other saved and the two never sweep the
 * parent at once (the state's sweep lease).
 */
export function gcpSweepShard(
  options: GcpShardOptions,
  parent: string,
  types: readonly string[],
): SweepShard {
  const { organization } = options.config;
  const reader = assetSweep({
    clients: options.clients,
    parent,
    assetTypes: types,
    // Policies set above a project or folder are inherited by its buckets,
    // but listing under it returns only those set inside it.
    orgPolicyParent: organization === null ? undefined : `organizations/${organization}`,
    signal: options.signal,
    logger: options.deps.logger,
  });
  return { name: parent, sweepId: `gcp/${parent}`, scope: reader.scope, reader };
}

/**
 * Sweeps each parent through Cloud Asset Inventory, one after the other: each
 * a shard with its own scope and checkpoint (see sweepShards).
 */
export async function gcpSweep(options: GcpSweepOptions): Promise<ShardSweep[]> {
  const types = sweptTypesOf(options.config);
  const shards = sweepParents(options.config).map((parent) =>
    gcpSweepShard(options, parent, types),
  );
  return sweepShards(
    shards,
    { ...options.deps, inventory: gcpInventory },
    { signal: options.signal, onProgress: options.onProgress },
  );
}

/**
 * The sweep requests `gcp sweep --print-requests` writes: one per parent the
 * settings sweep, one a line, as Cloud Scheduler or `gcloud pubsub topics
 * publish` sends them to the topic `gcp serve` is pushed from.
 */
export function gcpSweepRequestTexts(
  config: Pick<GcpAdapterConfig, 'projects' | 'folders' | 'organization'>,
  now: Date = new Date(),
): string[] {
  const requestedAt = now.toISOString();
  return sweepParents(config).map((shard) =>
    sweepRequestText({ cloud: GCP_CLOUD, shard, requestedAt }),
  );
}

export interface GcpSweepRequestsOptions {
  readonly config: Pick<GcpAdapterConfig, 'projects' | 'folders' | 'organization' | 'assetTypes'>;
  readonly clients: GcpClients;
  readonly deps: GcpPipelineDeps;
  /**
   * The worker's stop: cuts the Google call in flight, or ends the sweep
   * after the page it saved last; the request is handed back to Pub/Sub and
   * the next delivery resumes after that page.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sweep requests on the push subscription (`gcp serve`): a Pub/Sub message
 * whose data is a request (`{"kind": "drift-detective/sweep-shard", "v": 1,
 * "cloud": "gcp", "shard": "projects/p"}`) sweeps that one parent as `gcp
 * sweep` would, under the same lease and from the same checkpoint. Only a
 * parent these settings sweep is taken: a message never widens what the
 * adapter reads. The settings are checked per request, so a service that
 * sweeps nothing (no projects, folders or organization) still starts, and
 * refuses each request by name.
 */
export function gcpSweepRequests(options: GcpSweepRequestsOptions): SweepRequests {
  const { config, deps, signal } = options;
  return {
    cloud: GCP_CLOUD,
    signal,
    requestOf(body, source) {
      // What the push route hands over is the push envelope; its data is the message.
      const document = isPubSubPush(body) ? decodePushData(body, source) : body;
      return readSweepRequest(document, source);
    },
    async run(request) {
      const { parent, types } = sweptShard(config, request);
      const shard = gcpSweepShard(options, parent, types);
      deps.logger?.info(
        { sweepId: shard.sweepId, kinds: shard.scope.kinds && [...shard.scope.kinds] },
        'sweep scope',
      );
      // A stop that cuts a Google call in flight throws: the pipeline hands the
      // request back, and its next delivery resumes after the last saved page.
      return runSweep(
        shard.reader,
        { ...deps, inventory: gcpInventory },
        { sweepId: shard.sweepId, scope: shard.scope, signal },
      );
    },
  };
}

/**
 * The parent a request names, when these settings sweep it, and the types
 * they sweep; NormalizeError (refused for good, dead-lettered) otherwise.
 */
function sweptShard(
  config: GcpSweepRequestsOptions['config'],
  request: SweepRequest,
): { parent: string; types: string[] } {
  const refused = (reason: string) =>
    new NormalizeError(`sweep request for ${request.cloud} ${request.shard}`, reason);
  let parents: string[];
  let types: string[];
  try {
    parents = sweepParents(config);
    types = sweptTypesOf(config);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    throw refused(`the settings cannot sweep: ${error.message}`);
  }
  if (!parents.includes(request.shard)) {
    throw refused(
      `not a parent these settings sweep (they sweep ${parents.join(', ')}); a request never widens what the adapter reads`,
    );
  }
  return { parent: request.shard, types };
}
