export { awsInventory } from './inventory.js';
export { SUPPORTED_TYPES, NORMALIZERS } from './normalize/registry.js';
export { ACCOUNT_PUBLIC_ACCESS_BLOCK } from './normalize/s3-account-public-access-block.js';
export { accountPublicAccessBlockKey } from './decode/public-access-block.js';
export { captureTimeToRfc3339 } from './decode/capture-time.js';
export { decodePolicyDocument, policyStatements } from './decode/policy-document.js';
export * from './securityhub/index.js';
export * from './sqs/index.js';
export {
  AwsConfigError,
  CONFIG_FILE_ENV,
  resolveAwsConfig,
  AWS_SETTINGS,
  SETTINGS as AWS_ADAPTER_SETTINGS,
} from './adapter/config.js';
export type { AwsAdapterConfig, ConfigSources, FlagValues } from './adapter/config.js';
export { createAwsClients, queueRegion, regionOfQueue } from './adapter/clients.js';
export type { AwsClients } from './adapter/clients.js';
export { awsShardName, awsShards, awsSweep, sweepAwsShard } from './adapter/sweep.js';
export { awsSweepRequestOf, awsSweepRequests, enqueueAwsSweep } from './adapter/sweep-requests.js';
export type { AwsPipelineDeps, AwsShard, AwsSweepOptions, RegionSweep } from './adapter/sweep.js';
export { awsEventDeps, awsWorker, runAwsEvents } from './adapter/worker.js';
export type { AwsWorkerOptions } from './adapter/worker.js';
export { accountContextEnricher } from './adapter/event-context.js';
export { openAwsRuntime } from './adapter/runtime.js';
export type { AwsRuntime, AwsRuntimeOptions } from './adapter/runtime.js';
export * from './command/index.js';
export {
  DEFAULT_STATE_SECRET_TIMEOUT_MS,
  STATE_URL_SECRET_ENV,
  StateSecretError,
  stateUrlFromSecret,
} from './adapter/state-secret.js';
export type { StateUrlFromSecretOptions } from './adapter/state-secret.js';
