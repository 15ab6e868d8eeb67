import {
  adapterMain,
  drainedLine,
  EXIT,
  openOrRefuse,
  runAdapterCommand,
  startAdapterServices,
  stoppedLine,
  sweepLine,
  UsageError,
  type AdapterIo,
} from '@drift-detective/pipeline';
import {
  resolveAwsConfig,
  SETTINGS,
  type AwsAdapterConfig,
  type FlagValues,
} from '../adapter/config.js';
import { openAwsRuntime, type AwsRuntime } from '../adapter/runtime.js';
import { awsSweep } from '../adapter/sweep.js';
import { enqueueAwsSweep } from '../adapter/sweep-requests.js';
import { awsWorker } from '../adapter/worker.js';
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

export type AwsIo = AdapterIo;

/**
 * `aws sweep | worker`: the AWS adapter as a long-running or scheduled
 * process. Findings go to Security Hub (or stdout with --dry-run), state to
 * the SQLite file, logs as JSON lines to stderr.
 */
export function awsCommand(
  subcommand: AwsSubcommand,
  options: AwsCommandOptions,
  io: AwsIo,
): Promise<number> {
  return runAdapterCommand(
    `aws ${subcommand}`,
    { sweep: subcommand === 'sweep', signal: options.signal },
    io,
    () => runAws(subcommand, options, io),
  );
}

/** The settings a subcommand cannot run with, as usage errors. */
function checkFor(subcommand: AwsSubcommand, config: AwsAdapterConfig): void {
  if (subcommand === 'sweep' && config.enqueue && config.queueUrl === null) {
    throw new UsageError(
      "aws sweep --enqueue sends its requests to the workers' queue: --queue-url URL or DRIFT_AWS_QUEUE_URL",
    );
  }
  if (subcommand === 'worker' && config.queueUrl === null) {
    throw new UsageError('aws worker needs a queue: --queue-url URL or DRIFT_AWS_QUEUE_URL');
  }
  // A dry run publishes nowhere, but the worker would still delete every
  // message it handled from the queue: those changes would be lost for good.
  if (subcommand === 'worker' && config.dryRun) {
    throw new UsageError('--dry-run is for sweeps: a worker deletes each message it handles');
  }
}

async function runAws(
  subcommand: AwsSubcommand,
  options: AwsCommandOptions,
  io: AwsIo,
): Promise<number> {
  const config = resolveAwsConfig({ flags: options.flags, file: options.configFile });
  checkFor(subcommand, config);
  const services = await startAdapterServices(config, {
    defaultBundle: options.defaultBundle,
    log: io.log,
    signal: options.signal,
  });
  let runtime: AwsRuntime;
  try {
    runtime = await openOrRefuse(() =>
      openAwsRuntime({
        config,
        engine: services.engine,
        logger: services.logger,
        metrics: services.metrics,
        dryRunOut: io.stdout,
        waiverFor: services.waiverFor,
        // A sweep's stop also cuts Security Hub calls; a worker finishes what it started.
        signal: subcommand === 'sweep' ? options.signal : undefined,
      }),
    );
  } catch (error) {
    await services.stop();
    throw error;
  }
  const { clients, deps } = runtime;
  services.markReady();
  try {
    if (subcommand === 'sweep' && config.enqueue) {
      const queueUrl = config.queueUrl as string;
      const shards = await enqueueAwsSweep({
        config,
        clients,
        queueUrl,
        now: new Date(),
        signal: options.signal,
      });
      io.err(
        `aws sweep: ${shards.length} sweep ${shards.length === 1 ? 'request' : 'requests'} sent to ${queueUrl} (${shards.join(', ')})\n`,
      );
      return EXIT.ok;
    }
    if (subcommand === 'sweep') {
      const sweeps = await awsSweep({
        config,
        clients,
        deps,
        signal: options.signal,
        onProgress: (region, p) =>
          services.logger.info(
            { region, pages: p.pages, resources: p.resources },
            'sweep progress',
          ),
      });
      for (const s of sweeps) io.err(sweepLine('aws sweep', `${s.region} (${s.account})`, s));
      if (options.signal?.aborted) io.err(stoppedLine('aws sweep', options.signal));
      return sweeps.every((s) => s.completed) && !options.signal?.aborted ? EXIT.ok : EXIT.error;
    }
    const summary = await awsWorker({
      config,
      clients,
      deps,
      signal: options.signal,
      health: services.dependencies,
    });
    io.err(drainedLine('aws worker', summary));
    return EXIT.ok;
  } finally {
    await runtime.close();
    await services.stop();
  }
}

/**
 * The `aws` command line — `sweep|worker [flags]` — as the CLI's `aws`
 * subcommand and the adapter's own process entry run it.
 */
export function awsMain(
  args: readonly string[],
  io: AwsIo,
  options: { readonly defaultBundle: string; readonly usage?: string },
): Promise<number> {
  return adapterMain(args, io, {
    cloud: 'aws',
    subcommands: ['sweep', 'worker'] as const,
    settings: SETTINGS,
    usage: options.usage ?? AWS_USAGE,
    defaultBundle: options.defaultBundle,
    run: (subcommand, parsed) => awsCommand(subcommand, parsed, io),
  });
}
