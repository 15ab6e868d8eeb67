import type { Registry } from 'prom-client';
import type { Readiness } from './health/dependency-health.js';
import { healthRoutes } from './push/health-routes.js';
import type { Route } from './push/http-route.js';
import { DEFAULT_LISTEN_HOST, startHttpServer } from './push/http-server.js';

/**
 * Where the server listens unless told otherwise: the loopback. /metrics and
 * /readyz name queues and errors, and nothing on them needs the network by
 * default; a container that is probed and scraped from outside sets 0.0.0.0
 * on purpose.
 */
export const DEFAULT_HEALTH_HOST = DEFAULT_LISTEN_HOST;

export interface HealthServer {
  /** The address it listens on (the one asked for, e.g. 127.0.0.1 or 0.0.0.0). */
  readonly host: string;
  /** The port it listens on (the one asked for, or the one given for port 0). */
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The endpoints an orchestrator and a Prometheus scraper expect of a
 * long-running worker: /healthz (the process serves), /readyz (it is wired
 * and working: 503 until `ready()` says so, and again once it drains or a
 * dependency keeps failing; the body says why) and /metrics (the registry,
 * in the Prometheus text format) — and, on the same port, whatever other
 * routes the adapter serves (a webhook).
 */
export async function startHealthServer(options: {
  readonly port: number;
  /** Default DEFAULT_HEALTH_HOST, the loopback. */
  readonly host?: string | undefined;
  readonly registry: Registry;
  /** A plain boolean, or a Readiness whose reason becomes the 503's body. */
  readonly ready: () => boolean | Readiness;
  /** Routes served beside the health endpoints. */
  readonly routes?: readonly Route[] | undefined;
  /** The largest request body taken (default the HTTP server's). */
  readonly maxBodyBytes?: number | undefined;
}): Promise<HealthServer> {
  const server = await startHttpServer({
    port: options.port,
    host: options.host ?? DEFAULT_HEALTH_HOST,
    routes: [...healthRoutes(options), ...(options.routes ?? [])],
    maxBodyBytes: options.maxBodyBytes,
  });
  return {
    host: server.host,
    port: server.port,
    // Probes and scrapes are short: nothing to wait for.
    stop: () => server.stop(0),
  };
}
