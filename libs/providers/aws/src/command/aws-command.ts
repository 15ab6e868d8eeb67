import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { StateStoreError, waiverRefLookup } from '@drift-detective/findings';
import {
  cloudFailureLine,
  createLogger,
  createPrometheusMetrics,
  DependencyHealth,
  EXIT,
  isEnvironmentFailure,
  startHealthServer,
  UsageError,
  waiversFrom,
  type CommandIo,
  type Readiness,
} from '@drift-detective/pipeline';
import { PolicyEngine } from '@drift-detective/policy-engine';
import {
  SETTINGS as AWS_SETTINGS,
  AwsConfigError,
  resolveAwsConfig,
  type AwsAdapterConfig,
  type FlagValues,
} from '../adapter/config.js';
import { openAwsRuntime, type AwsRuntime } from '../adapter/runtime.js';
import { awsSweep } from '../adapter/sweep.js';
import { awsWorker } from '../adapter/worker.js';
import { stoppedLine, sweepLine } from './sweep-report.js';
import { AWS_USAGE } from './usage.js';

export type AwsSubcommand = 'sweep' | 'worker';

export interface AwsCommandOptions {
  readonly flags: FlagValues;
  /** --config FILE; else $DRIFT_CONFIG. */
  readonly configFile?: string | undefined;
  /**
   * Aborted on SIGTERM / SIGINT: the worker drains; a sweep stops at once (the
   * AWS call in flight is cut) and resumes on its next run.
   */
  readonly signal?: AbortSignal | undefined;
  /** The policy bundle folder when neither --bundle nor DRIFT_POLICY_BUNDLE names one. */
  readonly defaultBundle: string;
}

export interface AwsIo extends CommandIo {
  /** Logs (JSON lines). */
  readonly log: Writable;
  /** Where --dry-run writes findings. */
  readonly stdout: Writable;
}

/**
 * `aws sweep | worker`: the AWS adapter as a long-running or scheduled
 * process. Findings go to Security Hub (or stdout with --dry-run), state to
 * the SQLite file, logs as JSON lines to stderr.
 */
export async function awsCommand(
  subcommand: AwsSubcommand,
  options: AwsCommandOptions,
  io: AwsIo,
): Promise<number> {
  try {
    return await runAws(subcommand, options, io);
  } catch (error) {
    // A stop cuts the AWS call in flight: whatever that throws, the sweep was stopped.
    if (subcommand === 'sweep' && options.signal?.aborted) {
      io.err(stoppedLine(options.signal));
      return EXIT.error;
    }
    if (!isEnvironmentFailure(error)) throw error;
    io.err(cloudFailureLine(`aws ${subcommand}`, error));
    return EXIT.error;
  }
}

async function runAws(
  subcommand: AwsSubcommand,
  options: AwsCommandOptions,
  io: AwsIo,
): Promise<number> {
  let config: AwsAdapterConfig;
  try {
    config = resolveAwsConfig({ flags: options.flags, file: options.configFile });
  } catch (error) {
    if (error instanceof AwsConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (subcommand === 'worker' && config.queueUrl === null) {
    throw new UsageError('aws worker needs a queue: --queue-url URL or DRIFT_AWS_QUEUE_URL');
  }
  // A dry run publishes nowhere, but the worker would still delete every
  // message it handled from the queue: those changes would be lost for good.
  if (subcommand === 'worker' && config.dryRun) {
    throw new UsageError('--dry-run is for sweeps: a worker deletes each message it handles');
  }
  const engine = await PolicyEngine.load(path.resolve(config.bundle ?? options.defaultBundle));
  const waivers = await waiversFrom(config.waivers ?? undefined);
  const logger = createLogger({ destination: io.log });
  const metrics = config.metricsPort === null ? undefined : createPrometheusMetrics();
  // What the worker's receives and imports report; /readyz reads it.
  const dependencies = new DependencyHealth({
    unreadyAfterMs: config.unreadyAfterSeconds * 1000,
  });
  let ready = false;
  const readiness = (): Readiness => {
    if (!ready) return { ready: false, reason: 'starting' };
    if (options.signal?.aborted) return { ready: false, reason: 'draining' };
    return dependencies.readiness();
  };
  const health =
    metrics && config.metricsPort !== null
      ? await startHealthServer({
          port: config.metricsPort,
          host: config.metricsAddress,
          registry: metrics.registry,
          ready: readiness,
        })
      : undefined;
  if (health) {
    logger.info(
      { host: health.host, port: health.port, unreadyAfterSeconds: config.unreadyAfterSeconds },
      'serving /healthz, /readyz and /metrics',
    );
  }
  let runtime: AwsRuntime;
  try {
    runtime = await openAwsRuntime({
      config,
      engine,
      logger,
      metrics,
      dryRunOut: io.stdout,
      waiverFor: waiverRefLookup(waivers),
      // A sweep's stop also cuts Security Hub calls; a worker finishes what it started.
      signal: subcommand === 'sweep' ? options.signal : undefined,
    });
  } catch (error) {
    await health?.stop();
    if (error instanceof StateStoreError) {
      throw new UsageError(error.message, { showUsage: false });
    }
    throw error;
  }
  const { clients, deps } = runtime;
  ready = true;
  try {
    if (subcommand === 'sweep') {
      const sweeps = await awsSweep({
        config,
        clients,
        deps,
        signal: options.signal,
        onProgress: (region, p) =>
          logger.info({ region, pages: p.pages, resources: p.resources }, 'sweep progress'),
      });
      for (const s of sweeps) io.err(sweepLine(s));
      if (options.signal?.aborted) io.err(stoppedLine(options.signal));
      return sweeps.every((s) => s.completed) && !options.signal?.aborted ? EXIT.ok : EXIT.error;
    }
    const summary = await awsWorker({
      config,
      clients,
      deps,
      signal: options.signal,
      health: dependencies,
    });
    io.err(
      `aws worker stopped: ${summary.acked} acked, ${summary.retried} retried, ${summary.deadLettered} dead-lettered\n`,
    );
    return EXIT.ok;
  } finally {
    runtime.close();
    await health?.stop();
  }
}

/** The flags of `aws sweep|worker`: one per adapter setting, plus --config. */
function awsOptions() {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
  > = {
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const setting of Object.values(AWS_SETTINGS)) {
    options[setting.flag] =
      setting.kind === 'boolean'
        ? { type: 'boolean' }
        : { type: 'string', ...(setting.kind === 'list' ? { multiple: true } : {}) };
  }
  return options;
}

function parseAwsArgs(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: awsOptions() });
  } catch (error) {
    // node:util parseArgs throws TypeErrors for unknown or malformed options: usage errors.
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

/**
 * The `aws` command line — `sweep|worker [flags]` — as the CLI's `aws`
 * subcommand and the adapter's own process entry run it: SIGTERM (a
 * deployment stopping the worker) and Ctrl-C drain instead of dropping work.
 */
export async function awsMain(
  args: readonly string[],
  io: AwsIo,
  options: { readonly defaultBundle: string; readonly usage?: string },
): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === '-h' || subcommand === '--help') {
    io.out(options.usage ?? AWS_USAGE);
    return EXIT.ok;
  }
  if (subcommand !== 'sweep' && subcommand !== 'worker') {
    throw new UsageError(`aws takes sweep or worker, not '${subcommand ?? ''}'`);
  }
  const { values } = parseAwsArgs(rest);
  if (values['help']) {
    io.out(options.usage ?? AWS_USAGE);
    return EXIT.ok;
  }
  const flags: FlagValues = {};
  for (const [key, setting] of Object.entries(AWS_SETTINGS)) {
    const value = values[setting.flag];
    if (value !== undefined) flags[key as keyof FlagValues] = value as string | string[] | boolean;
  }
  const stop = new AbortController();
  // The reason names the signal, for the line of a stopped sweep.
  const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await awsCommand(
      subcommand,
      {
        flags,
        configFile: typeof values['config'] === 'string' ? values['config'] : undefined,
        signal: stop.signal,
        defaultBundle: options.defaultBundle,
      },
      io,
    );
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
