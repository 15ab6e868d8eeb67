export { azureInventory } from './inventory.js';
export { SUPPORTED_TYPES, canonicalType, type AzureTypeMapping } from './types.js';
export { readArmRecord, type ArmRecord } from './decode/arm-record.js';
export {
  AZURE_ADAPTER_SETTINGS,
  AZURE_SETTINGS,
  resolveAzureConfig,
  DEFAULT_RESOURCE_MANAGER_ENDPOINT,
} from './adapter/config.js';
export type { AzureAdapterConfig, AzureConfigSources, AzureFlagValues } from './adapter/config.js';
export { openAzureRuntime } from './adapter/runtime.js';
export type { AzurePipelineDeps, AzureRuntime, AzureRuntimeOptions } from './adapter/runtime.js';
export { azureSweep, sweptAzureTypes } from './adapter/sweep.js';
export type { AzureSweepOptions, SubscriptionSweep } from './adapter/sweep.js';
export {
  azureEventDeps,
  azureServe,
  webhookAuth,
  webhookRoutes,
  WEBHOOK_SECRET_ENV,
  WEBHOOK_SECRET_PARAMETER,
} from './adapter/serve.js';
export { createAzureClients } from './arm/clients.js';
export type { AzureClients, AzureClientOptions } from './arm/clients.js';
export { readResourceForJudgement } from './arm/read-resource.js';
export type { JudgementRead } from './arm/read-resource.js';
export { DefenderPublisher } from './defender/publisher.js';
export type { DefenderPublisherOptions } from './defender/publisher.js';
export { assessmentName } from './defender/assessment-name.js';
export { resourceGraphSweep } from './graph/sweep-reader.js';
export { sweepScopeOf } from './graph/sweep-scope.js';
export { managementGroupSubscriptions } from './graph/management-group.js';
export { attributed } from './envelope/attributed.js';
export { eventGridAuthenticator, entraIssuers, entraKeySet } from './eventgrid/auth.js';
export type { EventGridAuthOptions, RequestAuthenticator } from './eventgrid/auth.js';
export { eventGridHandler } from './eventgrid/handler.js';
export type { Deliver, EventGridHandlerOptions } from './eventgrid/handler.js';
export { eventGridEnricher } from './eventgrid/enricher.js';
export type { EventGridEnricherOptions, JudgementReader } from './eventgrid/enricher.js';
export { withEventGridJudgements } from './eventgrid/judgement.js';
export { EVENT_GRID_METRIC_NAMES } from './eventgrid/metrics.js';
export type { EventGridMetrics } from './eventgrid/metrics.js';
export * from './command/index.js';
