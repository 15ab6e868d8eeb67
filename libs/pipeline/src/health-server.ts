import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Readiness } from './health/dependency-health.js';

/**
 * Where the server listens unless told otherwise: the loopback. /metrics and
 * /readyz name queues and errors, and nothing on them needs the network by
 * default; a container that is probed and scraped from outside sets 0.0.0.0
 * on purpose.
 */
export const DEFAULT_HEALTH_HOST = '127.0.0.1';

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
 * in the Prometheus text format).
 */
export async function startHealthServer(options: {
  readonly port: number;
  /** Default DEFAULT_HEALTH_HOST, the loopback. */
  readonly host?: string | undefined;
  readonly registry: Registry;
  /** A plain boolean, or a Readiness whose reason becomes the 503's body. */
  readonly ready: () => boolean | Readiness;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const readiness = options.ready();
      const ready = typeof readiness === 'boolean' ? readiness : readiness.ready;
      const reason = typeof readiness === 'boolean' || readiness.ready ? '' : readiness.reason;
      res
        .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ready ? 'ready\n' : `not ready${reason === '' ? '' : `: ${reason}`}\n`);
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (error: unknown) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  server.listen(options.port, options.host ?? DEFAULT_HEALTH_HOST);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    async stop() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
