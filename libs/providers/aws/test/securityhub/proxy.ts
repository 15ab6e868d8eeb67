import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  /** 1 for the first request to this path, 2 for the second… */
  readonly nth: number;
}

export interface ProxiedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ProxyOptions {
  /** Answers instead of the emulator (an injected fault), or undefined to forward. */
  readonly answer?: (request: ProxiedRequest) => ProxiedResponse | undefined;
  /** Changes the emulator's answer on its way back. */
  readonly rewrite?: (request: ProxiedRequest, response: ProxiedResponse) => ProxiedResponse;
}

export interface LoopbackProxy {
  readonly endpoint: string;
  /** Requests seen per path (/findings/import, /findings/batchupdate…). */
  count(path: string): number;
  stop(): Promise<void>;
}

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined && key !== 'host' && key !== 'content-length') {
      out[key] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return out;
}

/**
 * A loopback HTTP proxy in front of moto_server: the SDK client talks real HTTP
 * to it, it forwards to the emulator, counts requests, and can inject a fault
 * (a throttling answer, a failed finding) the emulator itself never produces.
 */
export async function startProxy(
  target: string,
  options: ProxyOptions = {},
): Promise<LoopbackProxy> {
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        const nth = (counts.get(path) ?? 0) + 1;
        counts.set(path, nth);
        const request = {
          method: req.method ?? 'GET',
          path,
          body: Buffer.concat(chunks).toString('utf8'),
          nth,
        };
        let response = options.answer?.(request);
        if (!response) {
          const upstream = await fetch(`${target}${req.url ?? '/'}`, {
            method: request.method,
            headers: forwardHeaders(req.headers),
            ...(request.body ? { body: request.body } : {}),
          });
          const headers: Record<string, string> = {};
          upstream.headers.forEach((value, key) => {
            if (key !== 'content-length' && key !== 'transfer-encoding') headers[key] = value;
          });
          response = { status: upstream.status, headers, body: await upstream.text() };
          response = options.rewrite?.(request, response) ?? response;
        }
        res.writeHead(response.status, {
          ...response.headers,
          'content-length': Buffer.byteLength(response.body),
        });
        res.end(response.body);
      })().catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    count: (path) => counts.get(path) ?? 0,
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** The JSON answer Security Hub gives a throttled request. */
export function throttled(): ProxiedResponse {
  return {
    status: 429,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'LimitExceededException' },
    body: JSON.stringify({ Message: 'Rate exceeded', Code: 'LimitExceededException' }),
  };
}
