import type { Writable } from 'node:stream';
import type { Registry } from 'prom-client';
import { EXIT, UsageError } from '../command/exit.js';
import type { EventSummary } from '../event-mode.js';
import type { DependencyHealth } from '../health/dependency-health.js';
import type { DeadLetterSink } from '../interfaces.js';
import { DeadLetterFile } from '../push/dead-letter-file.js';
import type { Route } from '../push/http-route.js';
import { pushEventSource, type PushEventSource } from '../push/push-event-source.js';
import type { SweepProgressReport } from '../sweep-mode.js';
import type { AdapterSettings } from './adapter-settings.js';
import type { AdapterRuntimeOptions } from './runtime-deps.js';
import {
  adapterMain,
  openOrRefuse,
  runAdapterCommand,
  type AdapterIo,
  type AdapterRunOptions,
} from './adapter-command.js';
import { startAdapterServices, type AdapterServices } from './services.js';
import type { SettingsSources, SettingsSpec } from './settings.js';
import { drainedLine, stoppedLine } from './sweep-report.js';
import { shardLine, type ShardSweep } from './sweep-shards.js';

/** The settings of an adapter that also serves a push endpoint (a webhook). */
export interface PushAdapterSettings extends AdapterSettings {
  /** Where `serve` listens, with /healthz, /readyz and /metrics on the same port. */
  readonly port: number;
  readonly address: string;
  /** Where events that can never be judged are appended (JSON lines), with their reason. */
  readonly deadLetterFile: string;
}

/** A cloud's clients, state and publisher, open for one command. */
export interface AdapterRuntime {
  close(): void | Promise<void>;
}

/**
 * A cloud adapter with a `sweep` (its inventory API, shard by shard) and a
 * `serve` (a push endpoint for its change events): what differs per cloud.
 */
export interface SweepServeAdapter<
  S extends SettingsSpec,
  C extends PushAdapterSettings,
  R extends AdapterRuntime,
> {
  /** The cloud's word on the command line: `azure`, `gcp`. */
  readonly cloud: string;
  /** Every setting of the cloud's command: the common ones and its own. */
  readonly settings: S;
  /** Reads the settings (flag > env > file); throws SettingsError. */
  resolveConfig(sources: SettingsSources<S>): C;
  /** Throws SettingsError for a sweep's settings mistakes, before anything starts. */
  checkSweep(config: C): void;
  /** Throws StateStoreError when the state cannot be used. */
  openRuntime(options: AdapterRuntimeOptions<C>): Promise<R>;
  sweep(
    config: C,
    runtime: R,
    signal: AbortSignal,
    onProgress: (shard: string, progress: SweepProgressReport) => void,
  ): Promise<ShardSweep[]>;
  /**
   * The push endpoint's routes, given the adapter's registry; throws
   * SettingsError when callers could not be authenticated.
   */
  pushRoutes(
    config: C,
    push: PushEventSource,
    deadLetter: DeadLetterSink,
  ): (registry: Registry) => readonly Route[];
  /** The largest delivery the endpoint takes (default the HTTP server's). */
  readonly maxBodyBytes?: number | undefined;
  /** Judges what the endpoint is handed until the signal aborts, then drains. */
  serve(options: {
    readonly config: C;
    readonly runtime: R;
    readonly push: PushEventSource;
    readonly deadLetter: DeadLetterSink;
    readonly health: DependencyHealth;
    readonly signal: AbortSignal;
  }): Promise<EventSummary>;
}

/** A dead-letter sink that counts what it took. */
function countingSink(sink: DeadLetterSink): DeadLetterSink & { readonly count: number } {
  let count = 0;
  return {
    get count() {
      return count;
    },
    async put(event, reason) {
      await sink.put(event, reason);
      count += 1;
    },
  };
}

async function openRuntime<C extends PushAdapterSettings, R extends AdapterRuntime>(
  adapter: Pick<SweepServeAdapter<SettingsSpec, C, R>, 'openRuntime'>,
  config: C,
  services: AdapterServices,
  dryRunOut: Writable,
  signal: AbortSignal | undefined,
): Promise<R> {
  try {
    return await openOrRefuse(() =>
      adapter.openRuntime({
        config,
        engine: services.engine,
        logger: services.logger,
        metrics: services.metrics,
        dryRunOut,
        waiverFor: services.waiverFor,
        signal,
      }),
    );
  } catch (error) {
    await services.stop();
    throw error;
  }
}

async function runSweep<
  S extends SettingsSpec,
  C extends PushAdapterSettings,
  R extends AdapterRuntime,
>(
  adapter: SweepServeAdapter<S, C, R>,
  options: AdapterRunOptions<S>,
  io: AdapterIo,
): Promise<number> {
  const command = `${adapter.cloud} sweep`;
  const config = adapter.resolveConfig({ flags: options.flags, file: options.configFile });
  adapter.checkSweep(config);
  const services = await startAdapterServices(config, {
    defaultBundle: options.defaultBundle,
    log: io.log,
    signal: options.signal,
  });
  // A sweep's stop also cuts the hub's calls: the findings stay pending for the next run.
  const runtime = await openRuntime(adapter, config, services, io.stdout, options.signal);
  services.markReady();
  try {
    const sweeps = await adapter.sweep(config, runtime, options.signal, (shard, p) =>
      services.logger.info({ shard, pages: p.pages, resources: p.resources }, 'sweep progress'),
    );
    for (const s of sweeps) io.err(shardLine(command, s));
    if (options.signal.aborted) io.err(stoppedLine(command, options.signal));
    const complete = sweeps.every((s) => s.failure === undefined && s.completed);
    return complete && !options.signal.aborted ? EXIT.ok : EXIT.error;
  } finally {
    await runtime.close();
    await services.stop();
  }
}

async function runServe<
  S extends SettingsSpec,
  C extends PushAdapterSettings,
  R extends AdapterRuntime,
>(
  adapter: SweepServeAdapter<S, C, R>,
  options: AdapterRunOptions<S>,
  io: AdapterIo,
): Promise<number> {
  const config = adapter.resolveConfig({ flags: options.flags, file: options.configFile });
  // A dry run publishes nowhere, but the endpoint would still acknowledge
  // every event it handled: the sender would not send them again.
  if (config.dryRun) {
    throw new UsageError('--dry-run is for sweeps: the push endpoint acknowledges each event');
  }
  // Counted here, so the drained line also counts what the routes dead-letter
  // themselves (a delivery too broken to become an event).
  const deadLetter = countingSink(new DeadLetterFile(config.deadLetterFile));
  const push = pushEventSource({ maxBuffered: config.concurrency * 2 });
  const routes = adapter.pushRoutes(config, push, deadLetter);
  const services = await startAdapterServices(config, {
    defaultBundle: options.defaultBundle,
    log: io.log,
    signal: options.signal,
    serve: {
      port: config.port,
      host: config.address,
      routes,
      maxBodyBytes: adapter.maxBodyBytes,
    },
  });
  // The endpoint finishes what it accepted: a stop does not cut the hub's calls.
  const runtime = await openRuntime(adapter, config, services, io.stdout, undefined);
  services.markReady();
  try {
    const summary = await adapter.serve({
      config,
      runtime,
      push,
      deadLetter,
      health: services.dependencies,
      signal: options.signal,
    });
    io.err(drainedLine(`${adapter.cloud} serve`, { ...summary, deadLettered: deadLetter.count }));
    return EXIT.ok;
  } finally {
    await runtime.close();
    await services.stop();
  }
}

/**
 * A sweep|serve adapter's command line, as the CLI's cloud subcommand and the
 * adapter's own process entry run it. `sweep`: the cloud's shards one after
 * the other, a line each, exit 0 only when every one completed; `serve`: the
 * push endpoint beside /healthz, /readyz and /metrics until SIGTERM, then a
 * drain. Settings mistakes are usage errors; a cloud's failure is one line.
 */
export function sweepServeMain<
  S extends SettingsSpec,
  C extends PushAdapterSettings,
  R extends AdapterRuntime,
>(
  args: readonly string[],
  io: AdapterIo,
  adapter: SweepServeAdapter<S, C, R>,
  options: { readonly defaultBundle: string; readonly usage: string },
): Promise<number> {
  return adapterMain(args, io, {
    cloud: adapter.cloud,
    subcommands: ['sweep', 'serve'] as const,
    settings: adapter.settings,
    usage: options.usage,
    defaultBundle: options.defaultBundle,
    run: (subcommand, parsed) =>
      runAdapterCommand(
        `${adapter.cloud} ${subcommand}`,
        { sweep: subcommand === 'sweep', signal: parsed.signal },
        io,
        () =>
          subcommand === 'sweep' ? runSweep(adapter, parsed, io) : runServe(adapter, parsed, io),
      ),
  });
}
