export { gcpInventory } from './inventory.js';
export { SUPPORTED_TYPES, isSupportedType, type SupportedType } from './normalize/index.js';
export { readRecord, type AssetRecord, type CaiAsset, type CaiResource } from './asset.js';
export { decodeStruct, isStruct } from './decode/struct.js';
export { MODEL_MISMATCH } from './resource.js';
export { GCP_ADAPTER_SETTINGS, GCP_SETTINGS, resolveGcpConfig } from './adapter/config.js';
export type { GcpAdapterConfig, GcpConfigSources, GcpFlagValues } from './adapter/config.js';
export { openGcpRuntime } from './adapter/runtime.js';
export type { GcpPipelineDeps, GcpRuntime, GcpRuntimeOptions } from './adapter/runtime.js';
export {
  gcpSweep,
  gcpSweepRequests,
  gcpSweepRequestTexts,
  gcpSweepShard,
  sweepParents,
  sweptTypesOf,
} from './adapter/sweep.js';
export type { GcpShardOptions, GcpSweepOptions, GcpSweepRequestsOptions } from './adapter/sweep.js';
export { gcpEventDeps, gcpServe, historyParent, pushAuth, pushRoutes } from './adapter/serve.js';
export { createGcpClients, callOptions } from './grpc/clients.js';
export type { GcpClients, GcpClientSettings } from './grpc/clients.js';
export * from './asset-api/index.js';
export * from './scc/index.js';
export * from './pubsub/index.js';
export * from './command/index.js';
