import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** The wire protocols the proxy tells apart; each shapes its errors differently. */
export type Protocol = 'json' | 'rest-json' | 'query';

export type Fault =
  | { readonly kind: 'throttle'; readonly code?: string }
  | { readonly kind: 'serverError'; readonly status: 500 | 503 }
  | { readonly kind: 'dropBeforeForward' }
  | { readonly kind: 'dropAfterForward' }
  | { readonly kind: 'delay'; readonly ms: number }
  | {
      readonly kind: 'garbage';
      readonly status: number;
      readonly body: string;
      /** Default: what the protocol's answers carry (see answerContentType). */
      readonly contentType?: string;
    }
  | { readonly kind: 'silent' };

export const faults = {
  /** The protocol's throttling error; `code` overrides its name (e.g. a modeled LimitExceededException). */
  throttle: (code?: string): Fault =>
    code === undefined ? { kind: 'throttle' } : { kind: 'throttle', code },
  serverError: (status: 500 | 503 = 500): Fault => ({ kind: 'serverError', status }),
  /** Closes the caller's connection; the emulator never sees the request. */
  dropBeforeForward: (): Fault => ({ kind: 'dropBeforeForward' }),
  /** The emulator does the work, then the caller's connection closes before it hears the answer. */
  dropAfterForward: (): Fault => ({ kind: 'dropAfterForward' }),
  delay: (ms: number): Fault => ({ kind: 'delay', ms }),
  /**
   * Answers `body` with `status` instead of forwarding: what a captive portal,
   * a misrouted load balancer or a broken emulator says (200 `not json`, an
   * HTML 500, a text timestamp where the protocol has epoch seconds). The
   * content type defaults to the protocol's own, so the SDK tries to read it.
   */
  garbage: (body: string, status = 200, contentType?: string): Fault =>
    contentType === undefined
      ? { kind: 'garbage', status, body }
      : { kind: 'garbage', status, body, contentType },
  /**
   * Takes the request and never answers, holding the connection open: an
   * endpoint that hangs. Only the caller's timeout or abort ends the call (or
   * the proxy stopping).
   */
  silent: (): Fault => ({ kind: 'silent' }),
};

export interface RequestInfo {
  /** From the SigV4 credential scope, e.g. 'sqs', 'config', 'securityhub'; 'unknown' when unsigned. */
  readonly service: string;
  /** e.g. 'SendMessage'; `${method} ${path}` for a REST route the proxy does not know. */
  readonly operation: string;
  readonly protocol: Protocol;
  readonly method: string;
  readonly path: string;
}

/** `index` counts the requests of one service's operation, from 0; retries count too. */
export type FaultPlan = (request: RequestInfo & { readonly index: number }) => Fault | null;

export interface ProxiedRequest extends RequestInfo {
  readonly index: number;
  readonly fault: Fault | null;
}

export interface InjectedFault {
  readonly service: string;
  readonly operation: string;
  readonly index: number;
  readonly fault: Fault;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port>: give it to SDK clients instead of the emulator's endpoint. */
  readonly endpoint: string;
  readonly injected: readonly InjectedFault[];
  readonly requests: readonly ProxiedRequest[];
  stop(): Promise<void>;
}

export interface PlanFilter {
  readonly service?: string;
  readonly operation?: string;
}

const matches = (request: RequestInfo, filter: PlanFilter): boolean =>
  (filter.service === undefined || filter.service === request.service) &&
  (filter.operation === undefined || filter.operation === request.operation);

export const noFaults: FaultPlan = () => null;

/** The first `n` requests of every matching operation get `fault`; later ones pass through. */
export function failFirst(n: number, fault: Fault, filter: PlanFilter = {}): FaultPlan {
  return (request) => (matches(request, filter) && request.index < n ? fault : null);
}

/** Request `index` of every matching operation gets `steps[index]` (null passes); later ones pass. */
export function sequence(steps: readonly (Fault | null)[], filter: PlanFilter = {}): FaultPlan {
  return (request) => (matches(request, filter) ? (steps[request.index] ?? null) : null);
}

/** From which call of an operation on (0-based, retries counted) a fault holds. */
export interface FaultFrom {
  readonly from: number;
  readonly fault: Fault;
}

/**
 * Each operation gets its fault from its `from`-th call on; `'*'` stands for
 * every operation not named. `steps` is asked at each request, so a test can
 * change what it plans between runs of one proxy.
 */
export function faultsFrom(steps: () => Readonly<Record<string, FaultFrom>>): FaultPlan {
  return (request) => {
    const step = steps()[request.operation] ?? steps()['*'];
    return step && request.index >= step.from ? step.fault : null;
  };
}

/** The first plan that injects something wins. */
export function combinePlans(...plans: readonly FaultPlan[]): FaultPlan {
  return (request) => plans.reduce<Fault | null>((found, plan) => found ?? plan(request), null);
}

// REST-JSON names the operation only by method and path, so each service needs its routes:
// https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html (and
// siblings), as @aws-sdk/client-securityhub's schemas declare them.
const restJsonRoutes: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  securityhub: {
    'POST /findings/import': 'BatchImportFindings',
    'POST /findings': 'GetFindings',
    'PATCH /findings/batchupdate': 'BatchUpdateFindings',
    'PATCH /findings': 'UpdateFindings',
    'POST /accounts': 'EnableSecurityHub',
    'GET /accounts': 'DescribeHub',
    'DELETE /accounts': 'DisableSecurityHub',
  },
};

function identify(req: IncomingMessage, body: Buffer): RequestInfo {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://proxy');
  const path = url.pathname;
  // The credential scope names the service: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
  const scope = /Credential=[^/,]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(
    req.headers.authorization ?? '',
  );
  const service = scope?.[1] ?? 'unknown';
  // awsJson: X-Amz-Target is <Prefix>.<Operation>, e.g. AmazonSQS.SendMessage:
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-json.html
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    return {
      service,
      operation: target.slice(target.lastIndexOf('.') + 1),
      protocol: 'json',
      method,
      path,
    };
  }
  // Query: Action= in the form body or the query string:
  // https://docs.aws.amazon.com/STS/latest/APIReference/CommonParameters.html
  const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const action =
    url.searchParams.get('Action') ??
    (form ? new URLSearchParams(body.toString('utf8')).get('Action') : null);
  if (action !== null) return { service, operation: action, protocol: 'query', method, path };
  const route = `${method} ${path}`;
  return {
    service,
    operation: restJsonRoutes[service]?.[route] ?? route,
    protocol: 'rest-json',
    method,
    path,
  };
}

// Error shapes the SDK parses into the right exception name and retry class. awsJson reads
// __type or x-amzn-ErrorType (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html);
// restJson reads x-amzn-ErrorType first; query reads <ErrorResponse><Error><Code>
// (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html). Throttling is 400
// ThrottlingException for awsJson (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html),
// 400 Throttling for query, and 429 for Security Hub, whose throttling errors are all 429
// (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html#API_BatchImportFindings_Errors);
// the SDK retries any 429 as throttling whatever its name.
const throttling: Readonly<Record<Protocol, { status: number; code: string }>> = {
  json: { status: 400, code: 'ThrottlingException' },
  'rest-json': { status: 429, code: 'TooManyRequestsException' },
  query: { status: 400, code: 'Throttling' },
};
const serverErrorCodes = { 500: 'InternalFailure', 503: 'ServiceUnavailable' } as const;

/** The content type the protocol's answers carry: awsJson echoes the caller's version. */
function answerContentType(request: { protocol: Protocol; contentType: string }): string {
  if (request.protocol === 'query') return 'text/xml';
  return request.protocol === 'json' && request.contentType !== ''
    ? request.contentType // application/x-amz-json-1.0 or -1.1, as the caller spoke
    : 'application/json';
}

function sendError(
  res: ServerResponse,
  request: { protocol: Protocol; contentType: string },
  status: number,
  code: string,
): void {
  const requestId = randomUUID();
  const message = `injected by the fault proxy: ${code}`;
  if (request.protocol === 'query') {
    const type = status >= 500 ? 'Receiver' : 'Sender';
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId });
    res.end(
      `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message>` +
        `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
    return;
  }
  res.writeHead(status, {
    'content-type': answerContentType(request),
    'x-amzn-ErrorType': code,
    'x-amzn-RequestId': requestId,
  });
  res.end(JSON.stringify({ __type: code, message }));
}

// Hop-by-hop headers describe one connection, not the message: RFC 9110 §7.6.1.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
]);
const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name)));

/**
 * Starts an HTTP proxy on a free loopback port that forwards everything to `target` (moto)
 * unless `plan` injects a fault, and records what it saw and did.
 */
export async function startFaultProxy(options: {
  target: string;
  plan: FaultPlan;
  /**
   * Rewrites a successful answer's body (an emulator's wire mistakes, or an
   * answer the emulator never gives); null keeps it as is.
   */
  rewrite?: ((request: RequestInfo & { index: number }, body: Buffer) => Buffer | null) | undefined;
}): Promise<FaultProxy> {
  const target = new URL(options.target);
  const upstreamAgent = new Agent({ keepAlive: true });
  const injected: InjectedFault[] = [];
  const requests: ProxiedRequest[] = [];
  const counters = new Map<string, number>();

  const forward = (req: IncomingMessage, body: Buffer): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest({
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        // Host stays the caller's, like a transparent proxy: moto builds queue URLs from it.
        headers: { ...endToEnd(req.headers), 'content-length': String(body.length) },
        agent: upstreamAgent,
      });
      upstream.once('response', resolve).once('error', reject).end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const info = identify(req, body);
    const key = `${info.service} ${info.operation}`;
    const index = counters.get(key) ?? 0;
    counters.set(key, index + 1);
    const fault = options.plan({ ...info, index });
    requests.push({ ...info, index, fault });
    if (fault !== null)
      injected.push({ service: info.service, operation: info.operation, index, fault });

    const wire = { protocol: info.protocol, contentType: req.headers['content-type'] ?? '' };
    switch (fault?.kind) {
      case 'throttle': {
        const { status, code } = throttling[info.protocol];
        return sendError(res, wire, status, fault.code ?? code);
      }
      case 'serverError':
        return sendError(res, wire, fault.status, serverErrorCodes[fault.status]);
      case 'dropBeforeForward':
        req.socket.destroy();
        return;
      case 'garbage':
        res.writeHead(fault.status, {
          'content-type': fault.contentType ?? answerContentType(wire),
          'x-amzn-RequestId': randomUUID(),
        });
        res.end(fault.body);
        return;
      case 'silent':
        // The request was read; the answer never comes. stop() closes the connection.
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        break;
    }
    const upstream = await forward(req, body);
    if (fault?.kind === 'dropAfterForward') {
      // Wait for moto's whole answer, not just its head, so the work is surely done before the
      // caller loses the line.
      upstream.resume();
      await once(upstream, 'end');
      req.socket.destroy();
      return;
    }
    if (options.rewrite && upstream.statusCode === 200) {
      const answer: Buffer[] = [];
      for await (const chunk of upstream) answer.push(chunk as Buffer);
      const original = Buffer.concat(answer);
      const rewritten = options.rewrite({ ...info, index }, original) ?? original;
      res.writeHead(200, { ...endToEnd(upstream.headers), 'content-length': rewritten.length });
      res.end(rewritten);
      return;
    }
    res.writeHead(upstream.statusCode ?? 502, endToEnd(upstream.headers));
    upstream.pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault proxy could not reach ${options.target}: ${String(error)}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    requests,
    async stop() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      upstreamAgent.destroy();
      await closed;
    },
  };
}
