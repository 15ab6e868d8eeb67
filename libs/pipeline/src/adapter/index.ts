export { CONFIG_FILE_ENV, readSettings, SettingsError } from './settings.js';
export type {
  FlagValuesOf,
  SettingKind,
  SettingSpec,
  SettingsSources,
  SettingsSpec,
  SettingValues,
} from './settings.js';
export {
  ADAPTER_SETTINGS,
  DEFAULT_ADAPTER_CONCURRENCY,
  DEFAULT_ADAPTER_MAX_ATTEMPTS,
  DEFAULT_DEAD_LETTER_FILE,
  PUSH_SETTINGS,
  DEFAULT_METRICS_ADDRESS,
  DEFAULT_STATE_PATH,
  DEFAULT_UNREADY_AFTER_SECONDS,
  readAdapterSettings,
} from './adapter-settings.js';
export type { AdapterSettings } from './adapter-settings.js';
export { parseAdapterArgs } from './args.js';
export type { ParsedAdapterArgs } from './args.js';
export { openAdapterState } from './state.js';
export { countingTransitions } from './transition-counts.js';
export type { TransitionCounts } from './transition-counts.js';
export { drainedLine, stoppedLine, sweepLine } from './sweep-report.js';
export type { ScopeSweep } from './sweep-report.js';
export { startAdapterServices } from './services.js';
export type { AdapterServices, AdapterServicesOptions } from './services.js';
export { adapterMain, openOrRefuse, runAdapterCommand } from './adapter-command.js';
export type { AdapterCommandLine, AdapterIo, AdapterRunOptions } from './adapter-command.js';
export { shardLine, sweepShards } from './sweep-shards.js';
export type { ShardSweep, SweepShard } from './sweep-shards.js';
export { sweepServeMain } from './sweep-serve-command.js';
export { adapterPipelineDeps } from './runtime-deps.js';
export type { AdapterRuntimeOptions } from './runtime-deps.js';
export type {
  AdapterRuntime,
  PushAdapterSettings,
  SweepServeAdapter,
} from './sweep-serve-command.js';
