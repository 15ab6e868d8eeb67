import type { IncomingHttpHeaders } from 'node:http';

/** A request as a route sees it: the body is read on demand, after the route checked the caller. */
export interface RouteRequest {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case (node:http's). */
  readonly headers: IncomingHttpHeaders;
  /**
   * The body, read once, at most the server's limit: beyond it this throws an
   * HttpError 413 and nothing of the body is kept.
   */
  body(): Promise<Buffer>;
  /** Aborts at the server's handler deadline, or when the caller goes away. */
  readonly signal: AbortSignal;
}

export interface RouteResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | Buffer | undefined;
}

/**
 * One path of a server: the handler answers every method itself (405 for
 * those it does not serve). It takes plain data and returns plain data, so a
 * serverless entry (an HTTP-triggered function) can call it as well.
 */
export interface Route {
  readonly path: string;
  handle(request: RouteRequest): Promise<RouteResponse>;
}

/** A failure with the status it answers and a one-line reason for the body. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    reason: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(reason.replace(/\s+/g, ' ').trim());
  }
}

/** A plain-text answer of one line. */
export function textResponse(
  status: number,
  line: string,
  headers: Readonly<Record<string, string>> = {},
): RouteResponse {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
    body: `${line.replace(/\s+/g, ' ').trim()}\n`,
  };
}

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): RouteResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}
