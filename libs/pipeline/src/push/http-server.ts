import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe } from '../core.js';
import { silentLogger, type PipelineLogger } from '../observability.js';
import {
  HttpError,
  textResponse,
  type Route,
  type RouteRequest,
  type RouteResponse,
} from './http-route.js';
import { readBody } from './read-body.js';

/**
 * The loopback, unless told otherwise: nothing here needs the network by
 * default. A container behind its platform's TLS termination (App Service,
 * Functions, Cloud Run) sets 0.0.0.0 on purpose.
 */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';

/**
 * 1 MiB. Event Grid batches stay under the preferred batch size (at most
 * 1024 KB) unless one event is larger, and one event is at most 1 MB
 * (https://learn.microsoft.com/azure/event-grid/delivery-and-retry,
 * https://learn.microsoft.com/azure/event-grid/event-schema).
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** The whole request (headers and body) must arrive within this; Node answers 408 otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/**
 * 25 s: under the 30 s Event Grid waits for an answer before it counts the
 * delivery failed (https://learn.microsoft.com/azure/event-grid/delivery-and-retry),
 * so a slow batch is answered 503 by us rather than timed out by the sender.
 */
export const DEFAULT_HANDLER_TIMEOUT_MS = 25_000;
/** How long a route may take to answer after its deadline before the server answers 503 itself. */
const DEADLINE_GRACE_MS = 1000;

export interface HttpServerOptions {
  readonly port: number;
  /** Default DEFAULT_LISTEN_HOST, the loopback. */
  readonly host?: string | undefined;
  /** One route per path; an unknown path is 404. */
  readonly routes: readonly Route[];
  readonly maxBodyBytes?: number | undefined;
  readonly requestTimeoutMs?: number | undefined;
  readonly handlerTimeoutMs?: number | undefined;
  readonly logger?: PipelineLogger | undefined;
}

export interface HttpServer {
  /** The address it listens on. */
  readonly host: string;
  /** The port it listens on (the one given for port 0). */
  readonly port: number;
  /**
   * Stops taking connections, lets requests in progress answer for up to
   * `graceMs` (default 10 s), then closes what is left.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * One plain-HTTP server for a worker's routes: health, metrics and webhooks.
 * Plain HTTP because the webhook runs behind its platform's TLS termination
 * (Functions, App Service, Cloud Run); it listens on the loopback unless told
 * otherwise. Each request gets a deadline (its route's signal aborts then), a
 * body limit (413) and one-line error answers; nothing of a failed request's
 * body is processed.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const routes = new Map<string, Route>();
  for (const route of options.routes) {
    if (routes.has(route.path)) throw new Error(`two routes for ${route.path}`);
    routes.set(route.path, route);
  }
  const settings: Settings = {
    routes,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    handlerTimeoutMs: options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
    logger: options.logger ?? silentLogger,
  };
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = createServer(
    // headersTimeout may not exceed requestTimeout.
    { requestTimeout, headersTimeout: requestTimeout },
    (req, res) => void serve(req, res, settings),
  );
  server.listen(options.port, options.host ?? DEFAULT_LISTEN_HOST);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    async stop(graceMs = 10_000) {
      const closed = once(server, 'close');
      server.close();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

interface Settings {
  readonly routes: ReadonlyMap<string, Route>;
  readonly maxBodyBytes: number;
  readonly handlerTimeoutMs: number;
  readonly logger: PipelineLogger;
}

async function serve(req: IncomingMessage, res: ServerResponse, s: Settings): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = s.routes.get(url.pathname);
  if (!route) {
    send(res, textResponse(404, 'not found'));
    return;
  }
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), s.handlerTimeoutMs);
  // A caller that goes away before its answer cancels what its request started waiting for.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let bodyRead = false;
  const request: RouteRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    signal: controller.signal,
    body: () => {
      if (bodyRead) return Promise.reject(new Error('the body is read once'));
      bodyRead = true;
      return readBody(req, s.maxBodyBytes);
    },
  };
  let response: RouteResponse;
  try {
    response = await answerInTime(route.handle(request), controller.signal);
  } catch (error) {
    response = errorResponse(error, url.pathname, s.logger);
  } finally {
    clearTimeout(deadline);
  }
  // A body left unread (a caller turned away before it) is not read on a kept-alive connection.
  if (!bodyRead && hasBody(req)) response = withHeader(response, 'connection', 'close');
  send(res, response);
}

/** The route's answer, or 503 when it has not answered shortly after its deadline. */
function answerInTime(answer: Promise<RouteResponse>, signal: AbortSignal): Promise<RouteResponse> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const late = new Promise<RouteResponse>((resolve) => {
    onAbort = () => {
      timer = setTimeout(
        () => resolve(textResponse(503, 'timed out', { 'retry-after': '30' })),
        DEADLINE_GRACE_MS,
      );
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([answer, late]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

function errorResponse(error: unknown, path: string, logger: PipelineLogger): RouteResponse {
  if (error instanceof HttpError) return textResponse(error.status, error.message, error.headers);
  logger.error({ path, error: describe(error) }, 'request handling failed');
  return textResponse(500, 'internal error');
}

function hasBody(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length']);
  return (Number.isFinite(length) && length > 0) || req.headers['transfer-encoding'] !== undefined;
}

function withHeader(response: RouteResponse, name: string, value: string): RouteResponse {
  return { ...response, headers: { ...response.headers, [name]: value } };
}

function send(res: ServerResponse, response: RouteResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(response.status, { ...response.headers });
  res.end(response.body);
}
