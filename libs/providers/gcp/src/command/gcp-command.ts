import {
  EXIT,
  parseAdapterArgs,
  runAdapterCommand,
  SettingsError,
  sweepServeMain,
  UsageError,
  type AdapterIo,
  type SweepServeAdapter,
} from '@drift-detective/pipeline';
import {
  GCP_ADAPTER_SETTINGS,
  resolveGcpConfig,
  type GcpAdapterConfig,
} from '../adapter/config.js';
import { openGcpRuntime, type GcpRuntime } from '../adapter/runtime.js';
import { gcpServe, historyParent, pushAuth, pushRoutes } from '../adapter/serve.js';
import { gcpSweep, gcpSweepRequestTexts, sweepParents, sweptTypesOf } from '../adapter/sweep.js';
import { PUBSUB_PUSH_MAX_BODY_BYTES } from '../pubsub/index.js';
import { GCP_USAGE } from './usage.js';

/**
 * The GCP adapter as a scheduled job or a Cloud Run service: `sweep` reads
 * Cloud Asset Inventory parent by parent (or prints a sweep request per
 * parent, with --print-requests), `serve` takes Pub/Sub push deliveries of
 * asset feed messages and of sweep requests. Findings go to Security Command Center
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
    if (config.printRequests) {
      throw new SettingsError('--print-requests is for sweeps: serve takes the requests it prints');
    }
    const auth = pushAuth(config);
    // Where the feed messages are completed from: a settings mistake before anything listens.
    historyParent(config);
    return (registry) => pushRoutes({ auth, push, deadLetter, registry });
  },
  maxBodyBytes: PUBSUB_PUSH_MAX_BODY_BYTES,
  serve: gcpServe,
};

/**
 * The settings of `gcp sweep --print-requests`, when the command line is
 * that; undefined for anything else, and for settings it cannot read (the
 * sweep reports those as it always does).
 */
function printRequestsConfig(args: readonly string[]): GcpAdapterConfig | undefined {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'sweep') return undefined;
  try {
    const parsed = parseAdapterArgs(rest, GCP_ADAPTER_SETTINGS);
    if (parsed.help) return undefined;
    const config = resolveGcpConfig({ flags: parsed.flags, file: parsed.configFile });
    return config.printRequests ? config : undefined;
  } catch (error) {
    if (error instanceof UsageError || error instanceof SettingsError) return undefined;
    throw error;
  }
}

/**
 * `gcp sweep --print-requests`: one sweep request per parent the settings
 * sweep, one a line on stdout, for Cloud Scheduler jobs or `gcloud pubsub
 * topics publish`; nothing is read or swept, no state is opened.
 */
function printSweepRequests(config: GcpAdapterConfig, io: AdapterIo): Promise<number> {
  return runAdapterCommand('gcp sweep', { sweep: false }, io, async () => {
    for (const line of gcpSweepRequestTexts(config)) io.out(`${line}\n`);
    return EXIT.ok;
  });
}

/**
 * The `gcp` command line — `sweep|serve [flags]` — as the CLI's `gcp`
 * subcommand and the Cloud Run service's entry run it.
 */
export function gcpMain(
  args: readonly string[],
  io: AdapterIo,
  options: { readonly defaultBundle: string; readonly usage?: string },
): Promise<number> {
  const printing = printRequestsConfig(args);
  if (printing !== undefined) return printSweepRequests(printing, io);
  return sweepServeMain(args, io, GCP_ADAPTER, {
    defaultBundle: options.defaultBundle,
    usage: options.usage ?? GCP_USAGE,
  });
}
