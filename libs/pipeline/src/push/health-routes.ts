import type { Registry } from 'prom-client';
import type { Readiness } from '../health/dependency-health.js';
import { textResponse, type Route, type RouteResponse } from './http-route.js';

export interface HealthRoutesOptions {
  readonly registry: Pick<Registry, 'metrics' | 'contentType'>;
  /** A plain boolean, or a Readiness whose reason becomes the 503's body. */
  readonly ready: () => boolean | Readiness;
}

/**
 * /healthz (the process serves), /readyz (200 when wired and working, 503
 * with the reason otherwise) and /metrics (the registry in the Prometheus
 * text format), as routes: a webhook server mounts them beside its own, so
 * one port serves probes, scrapes and deliveries.
 */
export function healthRoutes(options: HealthRoutesOptions): Route[] {
  return [
    getOnly('/healthz', async () => textResponse(200, 'ok')),
    getOnly('/readyz', async () => {
      const readiness = options.ready();
      const ready = typeof readiness === 'boolean' ? readiness : readiness.ready;
      if (ready) return textResponse(200, 'ready');
      const reason = typeof readiness === 'boolean' || readiness.ready ? '' : readiness.reason;
      return textResponse(503, reason === '' ? 'not ready' : `not ready: ${reason}`);
    }),
    getOnly('/metrics', async () => {
      try {
        const text = await options.registry.metrics();
        return {
          status: 200,
          headers: { 'content-type': options.registry.contentType },
          body: text,
        };
      } catch (error) {
        return textResponse(500, String(error));
      }
    }),
  ];
}

function getOnly(path: string, answer: () => Promise<RouteResponse>): Route {
  return {
    path,
    handle: (request) =>
      request.method === 'GET'
        ? answer()
        : Promise.resolve(textResponse(405, 'method not allowed', { allow: 'GET' })),
  };
}
