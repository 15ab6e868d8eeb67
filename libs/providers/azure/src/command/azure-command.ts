import { sweepServeMain, type AdapterIo, type SweepServeAdapter } from '@drift-detective/pipeline';
import {
  AZURE_ADAPTER_SETTINGS,
  resolveAzureConfig,
  type AzureAdapterConfig,
} from '../adapter/config.js';
import { openAzureRuntime, type AzureRuntime } from '../adapter/runtime.js';
import { azureServe, webhookAuth, webhookRoutes } from '../adapter/serve.js';
import { azureSweep, sweptAzureTypes } from '../adapter/sweep.js';
import { AZURE_USAGE } from './usage.js';

/**
 * The Azure adapter as a scheduled or long-running process: `sweep` reads
 * Resource Graph subscription by subscription, `serve` takes Event Grid
 * deliveries. Findings go to Defender for Cloud (or stdout with --dry-run),
 * state to the SQLite file, logs as JSON lines to stderr.
 */
export const AZURE_ADAPTER: SweepServeAdapter<
  typeof AZURE_ADAPTER_SETTINGS,
  AzureAdapterConfig,
  AzureRuntime
> = {
  cloud: 'azure',
  settings: AZURE_ADAPTER_SETTINGS,
  resolveConfig: resolveAzureConfig,
  checkSweep: (config) => void sweptAzureTypes(config),
  openRuntime: openAzureRuntime,
  sweep: (config, runtime, signal, onProgress) =>
    azureSweep({ config, clients: runtime.clients, deps: runtime.deps, signal, onProgress }),
  pushRoutes: (config, push) => {
    const auth = webhookAuth(config);
    return (registry) => webhookRoutes({ auth, push, registry });
  },
  serve: azureServe,
};

/**
 * The `azure` command line — `sweep|serve [flags]` — as the CLI's `azure`
 * subcommand and the adapter's own process entry run it.
 */
export function azureMain(
  args: readonly string[],
  io: AdapterIo,
  options: { readonly defaultBundle: string; readonly usage?: string },
): Promise<number> {
  return sweepServeMain(args, io, AZURE_ADAPTER, {
    defaultBundle: options.defaultBundle,
    usage: options.usage ?? AZURE_USAGE,
  });
}
