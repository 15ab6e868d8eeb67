import type { Writable } from 'node:stream';
import { SqliteStateStore, StateStoreError, type Observation } from '@drift-detective/findings';
import { PolicyEngine } from '@drift-detective/policy-engine';
import {
  createLogger,
  createMemoryMetrics,
  JsonLinesPublisher,
  type Publisher,
} from '@drift-detective/pipeline';
import {
  AwsConfigError,
  awsSweep,
  awsWorker,
  createAwsClients,
  resolveAwsConfig,
  SecurityHubPublisher,
  type AwsAdapterConfig,
  type AwsClients,
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
  let config: AwsAdapterConfig;
  try {
    config = resolveAwsConfig({ flags: options.flags, file: options.configFile });
  } catch (error) {
    if (error instanceof AwsConfigError) throw new UsageError(error.message);
    throw error;
  }
  const clients = createAwsClients({ memberRole: config.memberRole });
  if (subcommand === 'worker' && config.queueUrl === null) {
    throw new UsageError('aws worker needs a queue: --queue-url URL or DRIFT_AWS_QUEUE_URL');
  }
  const engine = await PolicyEngine.load(bundleLocation(config.bundle ?? undefined));
  const waivers = await waiversFrom(config.waivers ?? undefined);
  let store: SqliteStateStore;
  try {
    store = new SqliteStateStore(config.statePath);
  } catch (error) {
    if (error instanceof StateStoreError) throw new UsageError(error.message);
    throw error;
  }
  const logger = createLogger({ destination: io.log });
  const metrics = createMemoryMetrics();
  const deps = {
    engine,
    store,
    publisher: await publisherFor(config, clients, io, logger),
    logger,
    metrics,
    // Looked up when judged: a long-running worker sees a waiver expire on its day.
    waiverFor: (observation: Observation) => waiverLookup(waivers, new Date())?.(observation),
  };
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
    store.close();
    clients.destroy();
  }
}

async function publisherFor(
  config: AwsAdapterConfig,
  clients: AwsClients,
  io: AwsIo,
  logger: ReturnType<typeof createLogger>,
): Promise<Publisher> {
  if (config.dryRun) return new JsonLinesPublisher(io.stdout);
  return new SecurityHubPublisher({
    clientFor: (region, account) => clients.securityHub(region, account),
    homeRegion: config.homeRegion ?? (await clients.defaultRegion()),
    logger,
  });
}
