import {
  adapterMain,
  DeadLetterFile,
  drainedLine,
  EXIT,
  openOrRefuse,
  pushEventSource,
  runAdapterCommand,
  shardLine,
  startAdapterServices,
  stoppedLine,
  UsageError,
  type AdapterIo,
  type AdapterServices,
} from '@drift-detective/pipeline';
import {
  GCP_ADAPTER_SETTINGS,
  resolveGcpConfig,
  type GcpAdapterConfig,
  type GcpFlagValues,
} from '../adapter/config.js';
import { openGcpRuntime, type GcpRuntime } from '../adapter/runtime.js';
import { gcpServe, historyParent, pushAuth, pushRoutes } from '../adapter/serve.js';
import { PUBSUB_PUSH_MAX_BODY_BYTES } from '../pubsub/index.js';
import { gcpSweep, sweepParents, sweptTypesOf } from '../adapter/sweep.js';
import { GCP_USAGE } from './usage.js';

export type GcpSubcommand = 'sweep' | 'serve';

export interface GcpCommandOptions {
  readonly flags: GcpFlagValues;
  /** --config FILE; else $DRIFT_CONFIG. */
  readonly configFile?: string | undefined;
  /**
   * Aborted on SIGTERM / SIGINT: serve stops taking deliveries and finishes
   * those it took; a sweep stops at once and resumes on its next run.
   */
  readonly signal?: AbortSignal | undefined;
  /** The policy bundle folder when neither --bundle nor DRIFT_POLICY_BUNDLE names one. */
  readonly defaultBundle: string;
}

/**
 * `gcp sweep | serve`: the GCP adapter as a scheduled job or a Cloud Run
 * service. Findings go to Security Command Center (or stdout with
 * --dry-run), state to the SQLite file, logs as JSON lines to stderr.
 */
export function gcpCommand(
  subcommand: GcpSubcommand,
  options: GcpCommandOptions,
  io: AdapterIo,
): Promise<number> {
  return runAdapterCommand(
    `gcp ${subcommand}`,
    { sweep: subcommand === 'sweep', signal: options.signal },
    io,
    () => (subcommand === 'sweep' ? runSweep(options, io) : runServe(options, io)),
  );
}

async function openRuntime(
  config: GcpAdapterConfig,
  services: AdapterServices,
  io: AdapterIo,
  signal: AbortSignal | undefined,
): Promise<GcpRuntime> {
  try {
    return await openOrRefuse(() =>
      openGcpRuntime({
        config,
        engine: services.engine,
        logger: services.logger,
        metrics: services.metrics,
        dryRunOut: io.stdout,
        waiverFor: services.waiverFor,
        signal,
      }),
    );
  } catch (error) {
    await services.stop();
    throw error;
  }
}

async function runSweep(options: GcpCommandOptions, io: AdapterIo): Promise<number> {
  const config = resolveGcpConfig({ flags: options.flags, file: options.configFile });
  // Settings mistakes before anything starts.
  sweptTypesOf(config);
  sweepParents(config);
  const services = await startAdapterServices(config, {
    defaultBundle: options.defaultBundle,
    log: io.log,
    signal: options.signal,
  });
  // A sweep's stop also cuts SCC calls: the findings stay pending for the next run.
  const runtime = await openRuntime(config, services, io, options.signal);
  services.markReady();
  try {
    const sweeps = await gcpSweep({
      config,
      clients: runtime.clients,
      deps: runtime.deps,
      signal: options.signal,
      onProgress: (parent, p) =>
        services.logger.info({ parent, pages: p.pages, resources: p.resources }, 'sweep progress'),
    });
    for (const s of sweeps) io.err(shardLine('gcp sweep', s));
    if (options.signal?.aborted) io.err(stoppedLine('gcp sweep', options.signal));
    const complete = sweeps.every((s) => s.failure === undefined && s.completed);
    return complete && !options.signal?.aborted ? EXIT.ok : EXIT.error;
  } finally {
    await runtime.close();
    await services.stop();
  }
}

async function runServe(options: GcpCommandOptions, io: AdapterIo): Promise<number> {
  const config = resolveGcpConfig({ flags: options.flags, file: options.configFile });
  // A dry run publishes nowhere, but the endpoint would still acknowledge
  // every message it handled: Pub/Sub would not send them again.
  if (config.dryRun) {
    throw new UsageError('--dry-run is for sweeps: the push endpoint acknowledges each message');
  }
  const auth = pushAuth(config);
  historyParent(config);
  const deadLetter = new DeadLetterFile(config.deadLetterFile);
  const push = pushEventSource({ maxBuffered: config.concurrency * 2 });
  const services = await startAdapterServices(config, {
    defaultBundle: options.defaultBundle,
    log: io.log,
    signal: options.signal,
    serve: {
      port: config.port,
      host: config.address,
      routes: (registry) => pushRoutes({ auth, push, deadLetter, registry }),
      maxBodyBytes: PUBSUB_PUSH_MAX_BODY_BYTES,
    },
  });
  // The endpoint finishes what it accepted: a stop does not cut SCC calls.
  const runtime = await openRuntime(config, services, io, undefined);
  services.markReady();
  try {
    const summary = await gcpServe({
      config,
      push,
      clients: runtime.clients,
      deps: runtime.deps,
      deadLetter,
      health: services.dependencies,
      signal: options.signal,
    });
    io.err(drainedLine('gcp serve', summary));
    return EXIT.ok;
  } finally {
    await runtime.close();
    await services.stop();
  }
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
  return adapterMain(args, io, {
    cloud: 'gcp',
    subcommands: ['sweep', 'serve'] as const,
    settings: GCP_ADAPTER_SETTINGS,
    usage: options.usage ?? GCP_USAGE,
    defaultBundle: options.defaultBundle,
    run: (subcommand, parsed) => gcpCommand(subcommand, parsed, io),
  });
}
