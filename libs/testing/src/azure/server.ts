// The HTTPS front: reads a request, lets the fault plan intervene, serves it,
// validates what was asked and what is answered, and records both.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, ADMIN_PREFIX } from './admin.js';
import { armError, type Answer } from './answers.js';
import type { ServerCertificate } from './ca.js';
import type { AzureFault } from './faults.js';
import type { JournalEntry } from './journal.js';
import { answerProblems } from './answer-checks.js';
import { isSecurityWrite, routeOf, serve, type IncomingCall, type Route } from './router.js';
import type { StandInState } from './state.js';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: Answer): string {
  const raw = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(raw === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'x-ms-request-id': randomUUID(),
    ...answer.headers,
  });
  res.end(raw);
  return raw;
}

/** The error a throttled or failing service answers, in the shape the route's clients read. */
function faultAnswer(
  route: Route,
  fault: Extract<AzureFault, { kind: 'throttle' | 'serverError' }>,
): Answer {
  const status = fault.kind === 'throttle' ? 429 : fault.status;
  const headers: Record<string, string> =
    fault.kind === 'throttle' ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
  const message =
    fault.kind === 'throttle' ? 'Too many requests; retry later.' : 'The service could not answer.';
  if (route.kind === 'token') {
    return {
      status,
      headers,
      body: { error: 'temporarily_unavailable', error_description: message },
    };
  }
  const code =
    fault.kind === 'throttle'
      ? 'TooManyRequests'
      : status === 503
        ? 'ServiceUnavailable'
        : 'InternalServerError';
  return armError(status, code, message, undefined, headers);
}

export class StandInServer {
  private readonly server: Server;
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly state: StandInState,
    certificate: ServerCertificate,
  ) {
    this.server = createServer(
      { key: certificate.keyPem, cert: certificate.certPem },
      (req, res) => {
        this.handle(req, res).catch((error: unknown) => {
          if (res.headersSent) return void res.destroy();
          send(res, armError(500, 'InternalServerError', `stand-in failure: ${String(error)}`));
        });
      },
    );
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    // Concatenated, not resolved: a path such as //subscriptions/… (a {resourceId} sent with its
    // leading slash) would otherwise read as a host name.
    const url = new URL(`https://127.0.0.1${req.url ?? '/'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      send(res, handleAdmin(this.state, method, url, req.headers, body));
      return;
    }
    const route = routeOf(this.state, method, url.pathname);
    const index = this.counters.get(route.operation) ?? 0;
    this.counters.set(route.operation, index + 1);
    if (isSecurityWrite(route)) this.state.writes += 1;
    const fault = this.state.plan({
      operation: route.operation,
      method,
      path: url.pathname,
      index,
    });
    const record = (
      status: number,
      requestProblems: readonly string[],
      answerProblems: readonly string[],
    ) => this.record(route, method, url, status, requestProblems, answerProblems, fault);

    if (fault?.kind === 'drop') {
      record(0, [], ['injected fault: the connection was dropped before any answer']);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'garbage') {
      res.writeHead(fault.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(fault.body);
      record(fault.status, [], ['injected fault: the body is not JSON']);
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const call: IncomingCall = { method, url, headers: req.headers, body };
    const served =
      fault?.kind === 'throttle' || fault?.kind === 'serverError'
        ? { answer: faultAnswer(route, fault), requestProblems: this.requestProblems(route, call) }
        : serve(this.state, route, call);
    const raw = send(res, served.answer);
    record(
      served.answer.status,
      served.requestProblems,
      answerProblems(this.state, route, served.answer.status, raw),
    );
  }

  /** A faulted request is still judged against its contract. */
  private requestProblems(route: Route, call: IncomingCall): readonly string[] {
    return route.kind === 'contract'
      ? this.state.contracts.validateRequest(route.match, {
          query: call.url.searchParams,
          body: call.body,
        })
      : [];
  }

  private record(
    route: Route,
    method: string,
    url: URL,
    status: number,
    requestProblems: readonly string[],
    answerProblems: readonly string[],
    fault: AzureFault | null,
  ): void {
    const entry: JournalEntry = {
      at: new Date().toISOString(),
      method,
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version'),
      operation: route.operation,
      contract: route.contract,
      status,
      requestValid: requestProblems.length === 0,
      answerValid: answerProblems.length === 0,
      requestProblems,
      answerProblems,
      ...(fault !== null ? { fault: fault.kind } : {}),
    };
    this.state.journal.push(entry);
  }
}
