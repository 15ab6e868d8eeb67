import {
  adapterMain,
  drainedLine,
  DeadLetterFile,
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
  AZURE_ADAPTER_SETTINGS,
  resolveAzureConfig,
  type AzureAdapterConfig,
  type AzureFlagValues,
} from '../adapter/config.js';
import { openAzureRuntime, type AzureRuntime } from '../adapter/runtime.js';
import { azureServe, webhookAuth, webhookRoutes } from '../adapter/serve.js';
import { azureSweep, sweptAzureTypes } from '../adapter/sweep.js';
import { AZURE_USAGE } from './usage.js';

export type AzureSubcommand = 'sweep' | 'serve';

export interface AzureCommandOptions {
  readonly flags: AzureFlagValues;
  /** --config FILE; else $DRIFT_CONFIG. */
  readonly configFile?: string | undefined;
  /**
   * Aborted on SIGTERM / SIGINT: serve stops taking deliveries and finishes
   * those it took; a sweep stops at once and resumes on its next run.
   */
  readonly signal?: AbortSignal | undefined;
  /** The policy bundle folder when neither --bundle nor DRIFT_POLICY_BUNDLE names one. */
  readonly defaultBundle: string;
  /** Where the webhook secret is read (default process.env). */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/**
 * `azure sweep | serve`: the Azure adapter as a scheduled or long-running
 * process. Findings go to Defender for Cloud (or stdout with --dry-run),
 * state to the SQLite file, logs as JSON lines to stderr.
 */
export function azureCommand(
  subcommand: AzureSubcommand,
  options: AzureCommandOptions,
  io: AdapterIo,
): Promise<number> {
  return runAdapterCommand(
    `azure ${subcommand}`,
    { sweep: subcommand === 'sweep', signal: options.signal },
    io,
    () => (subcommand === 'sweep' ? runSweep(options, io) : runServe(options, io)),
  );
}

async function openRuntime(
  config: AzureAdapterConfig,
  services: AdapterServices,
  io: AdapterIo,
  signal: AbortSignal | undefined,
): Promise<AzureRuntime> {
  try {
    return await openOrRefuse(() =>
      openAzureRuntime({
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

async function runSweep(options: AzureCommandOptions, io: AdapterIo): Promise<number> {
  const config = resolveAzureConfig({ flags: options.flags, file: options.configFile });
  sweptAzureTypes(config);
  const services = await startAdapterServices(config, {
    defaultBundle: options.defaultBundle,
    log: io.log,
    signal: options.signal,
  });
  // A sweep's stop also cuts Defender calls: the findings stay pending for the next run.
  const runtime = await openRuntime(config, services, io, options.signal);
  services.markReady();
  try {
    const sweeps = await azureSweep({
      config,
      clients: runtime.clients,
      deps: runtime.deps,
      signal: options.signal,
      onProgress: (subscription, p) =>
        services.logger.info(
          { subscription, pages: p.pages, resources: p.resources },
          'sweep progress',
        ),
    });
    for (const s of sweeps) io.err(shardLine('azure sweep', s));
    if (options.signal?.aborted) io.err(stoppedLine('azure sweep', options.signal));
    const complete = sweeps.every((s) => s.failure === undefined && s.completed);
    return complete && !options.signal?.aborted ? EXIT.ok : EXIT.error;
  } finally {
    runtime.close();
    await services.stop();
  }
}

async function runServe(options: AzureCommandOptions, io: AdapterIo): Promise<number> {
  const config = resolveAzureConfig({ flags: options.flags, file: options.configFile });
  // A dry run publishes nowhere, but the webhook would still answer 200 for
  // every event it handled: Event Grid would not send them again.
  if (config.dryRun) {
    throw new UsageError('--dry-run is for sweeps: the webhook acknowledges each event it handles');
  }
  const auth = webhookAuth(config, options.env);
  const push = pushEventSource({ maxBuffered: config.concurrency * 2 });
  const services = await startAdapterServices(config, {
    defaultBundle: options.defaultBundle,
    log: io.log,
    signal: options.signal,
    serve: {
      port: config.port,
      host: config.address,
      routes: (registry) => webhookRoutes({ auth, push, registry }),
    },
  });
  // The webhook finishes what it accepted: a stop does not cut Defender calls.
  const runtime = await openRuntime(config, services, io, undefined);
  services.markReady();
  try {
    const summary = await azureServe({
      config,
      push,
      clients: runtime.clients,
      deps: runtime.deps,
      deadLetter: new DeadLetterFile(config.deadLetterFile),
      health: services.dependencies,
      signal: options.signal,
    });
    io.err(drainedLine('azure serve', summary));
    return EXIT.ok;
  } finally {
    runtime.close();
    await services.stop();
  }
}

/**
 * The `azure` command line — `sweep|serve [flags]` — as the CLI's `azure`
 * subcommand and the adapter's own process entry run it.
 */
export function azureMain(
  args: readonly string[],
  io: AdapterIo,
  options: { readonly defaultBundle: string; readonly usage?: string },
): Promise<number> {
  return adapterMain(args, io, {
    cloud: 'azure',
    subcommands: ['sweep', 'serve'] as const,
    settings: AZURE_ADAPTER_SETTINGS,
    usage: options.usage ?? AZURE_USAGE,
    defaultBundle: options.defaultBundle,
    run: (subcommand, parsed) => azureCommand(subcommand, parsed, io),
  });
}
