import {
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { asText, isObject, type JsonObject } from '../decode/json.js';
import { AzureAnswerError, AzureCallError, callAzure } from './call-errors.js';

/** Plain ARM GETs through the clients' authenticated pipeline. */
export interface ArmRest {
  /** GET one resource: `${endpoint}${path}?api-version=…`. Throws AzureCallError (404 included). */
  get(path: string, apiVersion: string, signal?: AbortSignal): Promise<JsonObject>;
  /** GET a collection and every page after it (nextLink); the items of all pages. */
  list(path: string, apiVersion: string, signal?: AbortSignal): Promise<JsonObject[]>;
}

/**
 * The ARM error body: {error: {code, message, …}} (ErrorResponse of
 * https://github.com/Azure/azure-rest-api-specs/blob/main/specification/common-types/resource-management/v5/types.json).
 */
function errorOf(body: unknown): { code: string | undefined; message: string | undefined } {
  const error = isObject(body) && isObject(body['error']) ? body['error'] : {};
  return {
    code: asText(error['code']) ?? undefined,
    message: asText(error['message']) ?? undefined,
  };
}

function parse(operation: string, response: PipelineResponse): unknown {
  const text = response.bodyAsText ?? '';
  try {
    return text.trim() === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    throw new AzureAnswerError(
      operation,
      response.status,
      `a body that is not JSON: ${text.slice(0, 80)}`,
    );
  }
}

/** The URL of a path under the endpoint, with the api-version. */
export function armUrl(endpoint: string, path: string, apiVersion: string): string {
  if (!path.startsWith('/')) throw new TypeError(`an ARM path starts with "/", got ${path}`);
  const url = new URL(`${endpoint}${path}`);
  url.searchParams.set('api-version', apiVersion);
  return url.toString();
}

/**
 * A nextLink is followed only on the endpoint's own origin: the pipeline
 * puts the bearer token on every request, and a token for ARM must never go
 * to another host. ARM list pages carry `nextLink` (`@odata.nextLink` in
 * some providers), an absolute URL with its api-version and skip token
 * (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/resource-api-reference.md#get-resource).
 */
function nextLinkOf(operation: string, endpoint: string, page: JsonObject): string | null {
  const link = asText(page['nextLink']) ?? asText(page['@odata.nextLink']);
  if (link === null) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new AzureAnswerError(operation, 200, `a nextLink that is no URL: ${link.slice(0, 120)}`);
  }
  if (url.origin !== new URL(endpoint).origin) {
    throw new AzureAnswerError(
      operation,
      200,
      `a nextLink to another host (${url.origin}), not followed`,
    );
  }
  return url.toString();
}

export function armRest(pipeline: Pipeline, httpClient: HttpClient, endpoint: string): ArmRest {
  async function send(operation: string, url: string, signal?: AbortSignal): Promise<unknown> {
    return callAzure(operation, async () => {
      const request = createPipelineRequest({
        url,
        method: 'GET',
        ...(signal ? { abortSignal: signal } : {}),
      });
      request.headers.set('Accept', 'application/json');
      const response = await pipeline.sendRequest(httpClient, request);
      const body = parse(operation, response);
      if (response.status < 200 || response.status > 299) {
        const { code, message } = errorOf(body);
        throw new AzureCallError(
          operation,
          response.status,
          code,
          message ?? `HTTP ${response.status}`,
        );
      }
      return body;
    });
  }

  return {
    async get(path, apiVersion, signal) {
      const operation = `ARM GET ${path}`;
      const body = await send(operation, armUrl(endpoint, path, apiVersion), signal);
      if (!isObject(body)) throw new AzureAnswerError(operation, 200, 'a body that is no object');
      return body;
    },

    async list(path, apiVersion, signal) {
      const operation = `ARM GET ${path}`;
      const items: JsonObject[] = [];
      const seen = new Set<string>();
      let url: string | null = armUrl(endpoint, path, apiVersion);
      while (url !== null) {
        seen.add(url);
        const page = await send(operation, url, signal);
        if (!isObject(page) || !Array.isArray(page['value'])) {
          throw new AzureAnswerError(operation, 200, 'a list page without a `value` list');
        }
        for (const item of page['value'] as unknown[]) {
          if (!isObject(item))
            throw new AzureAnswerError(operation, 200, 'a list item that is no object');
          items.push(item);
        }
        url = nextLinkOf(operation, endpoint, page);
        if (url !== null && seen.has(url)) {
          throw new AzureAnswerError(
            operation,
            200,
            'a nextLink it already answered: the list would not end',
          );
        }
      }
      return items;
    },
  };
}
