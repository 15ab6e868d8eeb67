import { sweepServeMain, type AdapterIo, type SweepServeAdapter } from '@drift-detective/pipeline';
import {
  GCP_ADAPTER_SETTINGS,
  resolveGcpConfig,
  type GcpAdapterConfig,
} from '../adapter/config.js';
import { openGcpRuntime, type GcpRuntime } from '../adapter/runtime.js';
import { gcpServe, historyParent, pushAuth, pushRoutes } from '../adapter/serve.js';
import { gcpSweep, sweepParents, sweptTypesOf } from '../adapter/sweep.js';
import { PUBSUB_PUSH_MAX_BODY_BYTES } from '../pubsub/index.js';
import { GCP_USAGE } from './usage.js';

/**
 * The GCP adapter as a scheduled job or a Cloud Run service: `sweep` reads
 * Cloud Asset Inventory parent by parent, `serve` takes Pub/Sub push
 * deliveries of asset feed messages. Findings go to Security Command Center
 * (or stdout with --dry-run), state to the SQLite file, logs as JSON lines
 * to stderr.
 */
export const GCP_ADAPTER: SweepServeAdapter<
  typeof GCP_ADAPTER_SETTINGS,
  GcpAdapterConfig,
  GcpRuntime
> = {
  cloud: 'gcp',
  settings: GCP_ADAPTER_SETTINGS,
  resolveConfig: resolveGcpConfig,
  checkSweep: (config) => {
    sweptTypesOf(config);
    sweepParents(config);
  },
  openRuntime: openGcpRuntime,
  sweep: (config, runtime, signal, onProgress) =>
    gcpSweep({ config, clients: runtime.clients, deps: runtime.deps, signal, onProgress }),
  pushRoutes: (config, push, deadLetter) => {
    const auth = pushAuth(config);
    // Where the feed messages are completed from: a settings mistake before anything listens.
    historyParent(config);
    return (registry) => pushRoutes({ auth, push, deadLetter, registry });
  },
  maxBodyBytes: PUBSUB_PUSH_MAX_BODY_BYTES,
  serve: gcpServe,
};

/**
 * The `gcp` command line — `sweep|serve [flags]` — as the CLI's `gcp`
 * subcommand and the Cloud Run service's entry run it.
 */
export function gcpMain(
  args: readonly string[],
  io: AdapterIo,
  options: { readonly defaultBundle: string; readonly usage?: string },
): Promise<number> {
  return sweepServeMain(args, io, GCP_ADAPTER, {
    defaultBundle: options.defaultBundle,
    usage: options.usage ?? GCP_USAGE,
  });
}
