import {
  createHttpHeaders,
  RestError,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { AccessToken, TokenCredential } from '@azure/identity';

/** What a test's handler answers: a status with a JSON body and headers, or no answer at all. */
export type FakeAnswer =
  { status: number; body?: unknown; headers?: Record<string, string>; text?: string } | 'hang';

export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export type Handler = (request: SeenRequest) => FakeAnswer | Promise<FakeAnswer>;

/**
 * An in-process transport for the real SDK clients: the pipeline (token,
 * retries, timeouts, quota waits) and the SDKs run as in production; only
 * the socket is replaced. 'hang' never answers until the attempt is aborted.
 */
export function fakeTransport(handler: Handler): HttpClient & { requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  return {
    requests,
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const seen: SeenRequest = {
        method: request.method,
        url: new URL(request.url),
        headers: request.headers.toJSON(),
        body: typeof request.body === 'string' ? (JSON.parse(request.body) as unknown) : undefined,
      };
      requests.push(seen);
      if (request.abortSignal?.aborted) throw abortError();
      const answer = await handler(seen);
      if (answer === 'hang') return hang(request);
      const text = answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
      return {
        request,
        status: answer.status,
        headers: createHttpHeaders({ 'content-type': 'application/json', ...answer.headers }),
        bodyAsText: text,
      };
    },
  };
}

function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}

function hang(request: PipelineRequest): Promise<PipelineResponse> {
  return new Promise((_, reject) => {
    request.abortSignal?.addEventListener('abort', () => reject(abortError()));
  });
}

/** A credential that hands out a fixed token and remembers the scopes asked. */
export function fakeCredential(): TokenCredential & { scopes: string[][] } {
  const scopes: string[][] = [];
  return {
    scopes,
    getToken(asked: string | string[]): Promise<AccessToken> {
      scopes.push(Array.isArray(asked) ? asked : [asked]);
      return Promise.resolve({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
}

export { RestError };
