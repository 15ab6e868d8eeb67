import type { Writable } from 'node:stream';
import { StateStoreError, type Observation } from '@drift-detective/findings';
import { PolicyEngine } from '@drift-detective/policy-engine';
import {
  createLogger,
  createPrometheusMetrics,
  startHealthServer,
} from '@drift-detective/pipeline';
import {
  AwsConfigError,
  awsSweep,
  awsWorker,
  openAwsRuntime,
  resolveAwsConfig,
  type AwsAdapterConfig,
  type AwsRuntime,
  type FlagValues,
} from '@drift-detective/provider-aws';
import { bundleLocation } from './bundle-location.js';
import type { CommandIo } from './evaluate-command.js';
import { EXIT, UsageError } from './usage.js';
import { waiverLookup, waiversFrom } from './waivers-source.js';

export type AwsSubcommand = 'sweep' | 'worker';

export interface AwsCommandOptions {
  readonly flags: FlagValues;
  /** --config FILE; else $DRIFT_CONFIG. */
  readonly configFile?: string | undefined;
  /** Aborted on SIGTERM / SIGINT: the worker drains, a sweep stops between pages. */
  readonly signal?: AbortSignal | undefined;
}

export interface AwsIo extends CommandIo {
  /** Logs (JSON lines). */
  readonly log: Writable;
  /** Where --dry-run writes findings. */
  readonly stdout: Writable;
}

/**
 * drift-detective aws sweep | worker: the AWS adapter as a long-running or
 * scheduled process. Findings go to Security Hub (or stdout with --dry-run),
 * state to the SQLite file, logs as JSON lines to stderr.
 */
export async function awsCommand(
  subcommand: AwsSubcommand,
  options: AwsCommandOptions,
  io: AwsIo,
): Promise<number> {
  try {
    return await runAws(subcommand, options, io);
  } catch (error) {
    if (!isEnvironmentFailure(error)) throw error;
    // No region, no credentials, access denied, an endpoint down past its
    // retries: one line that says what AWS answered, not a stack trace.
    const cause =
      error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message})` : '';
    io.err(`drift-detective: aws ${subcommand} failed: ${error.name}: ${error.message}${cause}\n`);
    return EXIT.error;
  }
}

/**
 * A failure of the world around the adapter (settings, credentials, AWS
 * answers), as opposed to a bug: UsageErrors pass through to their own
 * handling, and a TypeError or the like keeps its stack.
 */
function isEnvironmentFailure(error: unknown): error is Error {
  if (!(error instanceof Error) || error instanceof UsageError) return false;
  return !(
    error instanceof TypeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    error instanceof RangeError
  );
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
  const engine = await PolicyEngine.load(bundleLocation(config.bundle ?? undefined));
  const waivers = await waiversFrom(config.waivers ?? undefined);
  const logger = createLogger({ destination: io.log });
  const metrics = config.metricsPort === null ? undefined : createPrometheusMetrics();
  let ready = false;
  const health =
    metrics && config.metricsPort !== null
      ? await startHealthServer({
          port: config.metricsPort,
          registry: metrics.registry,
          ready: () => ready && !options.signal?.aborted,
        })
      : undefined;
  if (health) logger.info({ port: health.port }, 'serving /healthz, /readyz and /metrics');
  let runtime: AwsRuntime;
  try {
    runtime = await openAwsRuntime({
      config,
      engine,
      logger,
      metrics,
      dryRunOut: io.stdout,
      // Looked up when judged: a long-running worker sees a waiver expire on its day.
      waiverFor: (observation: Observation) => waiverLookup(waivers, new Date())?.(observation),
    });
  } catch (error) {
    await health?.stop();
    if (error instanceof StateStoreError) throw new UsageError(error.message);
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
      for (const s of sweeps) {
        io.err(
          `aws sweep ${s.region} (${s.account}): ${s.resources} resources in ${s.pages} pages, ` +
            `${s.completed ? `${s.resolvedDeleted} resolved as deleted` : 'incomplete: nothing resolved as deleted'}` +
            `${s.skipped > 0 ? `, ${s.skipped} records skipped` : ''}\n`,
        );
      }
      return sweeps.every((s) => s.completed) ? EXIT.ok : EXIT.error;
    }
    const summary = await awsWorker({ config, clients, deps, signal: options.signal });
    io.err(
      `aws worker stopped: ${summary.acked} acked, ${summary.retried} retried, ${summary.deadLettered} dead-lettered\n`,
    );
    return EXIT.ok;
  } finally {
    runtime.close();
    await health?.stop();
  }
}
