import path from 'node:path';
import type { Registry } from 'prom-client';
import type { Writable } from 'node:stream';
import { waiverRefLookup, type Observation, type WaiverRef } from '@drift-detective/findings';
import { PolicyEngine } from '@drift-detective/policy-engine';
import { waiversFrom } from '../command/waivers-source.js';
import { DependencyHealth, type Readiness } from '../health/dependency-health.js';
import { startHealthServer, type HealthServer } from '../health-server.js';
import { createLogger } from '../logger.js';
import type { PipelineLogger, PipelineMetrics } from '../observability.js';
import { createPrometheusMetrics } from '../prometheus.js';
import type { Route } from '../push/http-route.js';
import type { AdapterSettings } from './adapter-settings.js';

/** What every adapter process runs on, whatever its cloud. */
export interface AdapterServices {
  readonly engine: PolicyEngine;
  /** The waiver of an observation; undefined when there are no waivers. */
  readonly waiverFor: ((observation: Observation) => WaiverRef | undefined) | undefined;
  readonly logger: PipelineLogger;
  /** Prometheus metrics when the health server runs; else undefined (the pipeline keeps its own). */
  readonly metrics: PipelineMetrics | undefined;
  /** What the event source (`source`) and the hub (`hub`) report; /readyz reads it. */
  readonly dependencies: DependencyHealth;
  /** The health server, when one was asked for. */
  readonly health: HealthServer | undefined;
  /** From now on /readyz answers from the dependencies (until the stop signal drains). */
  markReady(): void;
  /** Stops the health server. */
  stop(): Promise<void>;
}

export interface AdapterServicesOptions {
  /** The policy bundle folder when neither --bundle nor DRIFT_POLICY_BUNDLE names one. */
  readonly defaultBundle: string;
  /** Where the JSON-line logs go. */
  readonly log: Writable;
  /** Aborted on SIGTERM: /readyz says draining from then on. */
  readonly signal?: AbortSignal | undefined;
  /**
   * A server the adapter needs whatever the metrics settings (a webhook): it
   * listens here with these routes beside /healthz, /readyz and /metrics.
   */
  readonly serve?:
    | {
        readonly port: number;
        readonly host: string;
        /** Given the registry, so the routes count in the same /metrics. */
        readonly routes: (registry: Registry) => readonly Route[];
        /** The largest request body taken (default the HTTP server's, 1 MiB). */
        readonly maxBodyBytes?: number | undefined;
      }
    | undefined;
}

/**
 * Loads the policy bundle and the waivers, builds the logger and (with a
 * metrics port) the Prometheus metrics and the /healthz, /readyz, /metrics
 * server, which answers "starting" until markReady. A bundle or waiver file
 * that cannot be used throws before anything listens.
 */
export async function startAdapterServices(
  settings: AdapterSettings,
  options: AdapterServicesOptions,
): Promise<AdapterServices> {
  const engine = await PolicyEngine.load(path.resolve(settings.bundle ?? options.defaultBundle));
  const waivers = await waiversFrom(settings.waivers ?? undefined);
  const logger = createLogger({ destination: options.log });
  const serve = options.serve;
  const port = serve?.port ?? settings.metricsPort;
  const prometheus = port === null ? undefined : createPrometheusMetrics();
  const dependencies = new DependencyHealth({
    unreadyAfterMs: settings.unreadyAfterSeconds * 1000,
  });
  let ready = false;
  const readiness = (): Readiness => {
    if (!ready) return { ready: false, reason: 'starting' };
    if (options.signal?.aborted) return { ready: false, reason: 'draining' };
    return dependencies.readiness();
  };
  const routes = serve && prometheus ? serve.routes(prometheus.registry) : [];
  const health =
    prometheus && port !== null
      ? await startHealthServer({
          port,
          host: serve?.host ?? settings.metricsAddress,
          registry: prometheus.registry,
          ready: readiness,
          routes,
          maxBodyBytes: serve?.maxBodyBytes,
        })
      : undefined;
  if (health) {
    logger.info(
      {
        host: health.host,
        port: health.port,
        routes: routes.map((r) => r.path),
        unreadyAfterSeconds: settings.unreadyAfterSeconds,
      },
      'serving /healthz, /readyz and /metrics',
    );
  }
  return {
    engine,
    waiverFor: waiverRefLookup(waivers),
    logger,
    metrics: prometheus,
    dependencies,
    health,
    markReady: () => {
      ready = true;
    },
    stop: async () => {
      await health?.stop();
    },
  };
}
