// Which emulated operation a request is, what it answers, and which contract
// judges the answer.
import { armError, type Answer } from './answers.js';
import { armGetKind } from './arm-get.js';
import { answerTokenRequest, IDENTITY_PATH } from './managed-identity.js';
import type { OperationMatch } from './operations.js';
import { serveArmGet, serveContract } from './served.js';
import type { StandInState } from './state.js';

export const COMMON_TYPES = 'common-types/resource-management/v5/types.json';

export type Route =
  | {
      readonly kind: 'token';
      readonly operation: 'ManagedIdentityToken';
      readonly contract: string;
    }
  | {
      readonly kind: 'contract';
      readonly operation: string;
      readonly contract: string;
      readonly match: OperationMatch;
    }
  | {
      readonly kind: 'arm-get';
      readonly operation: 'ResourceGet' | 'ResourceList';
      readonly contract: string;
    }
  | { readonly kind: 'unknown'; readonly operation: 'Unknown'; readonly contract: string };

export interface IncomingCall {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface Served {
  readonly answer: Answer;
  readonly requestProblems: readonly string[];
}

export function routeOf(state: StandInState, method: string, path: string): Route {
  if (method === 'GET' && path === IDENTITY_PATH) {
    return {
      kind: 'token',
      operation: 'ManagedIdentityToken',
      contract:
        'App Service managed identity (learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference)',
    };
  }
  const match = state.contracts.findOperation(method, path);
  if (match !== undefined) {
    const { operation } = match;
    return {
      kind: 'contract',
      operation: operation.operationId,
      contract: `${operation.file}#${operation.operationId}`,
      match,
    };
  }
  if (method === 'GET') {
    const kind = armGetKind(path);
    return {
      kind: 'arm-get',
      operation: kind === 'collection' ? 'ResourceList' : 'ResourceGet',
      contract: `${COMMON_TYPES}#/definitions/Resource (no contract for the type in the specs folder)`,
    };
  }
  return { kind: 'unknown', operation: 'Unknown', contract: '(none)' };
}

/** True for requests that write to Defender for Cloud. */
export const isSecurityWrite = (route: Route): boolean =>
  route.kind === 'contract' &&
  route.match.operation.file.includes('/Microsoft.Security/') &&
  route.match.operation.method !== 'GET';

const header = (call: IncomingCall, name: string): string | undefined => {
  const value = call.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

export function serve(state: StandInState, route: Route, call: IncomingCall): Served {
  if (route.kind === 'token') {
    const outcome = answerTokenRequest(
      call.url.searchParams,
      header(call, 'x-identity-header'),
      state.identitySecret,
      state.authority,
    );
    return { answer: outcome.answer, requestProblems: outcome.problems };
  }
  const check = state.authority.checkAuthorization(header(call, 'authorization'));
  if (!check.ok) {
    // The challenge ARM sends with a 401 (core-rest-pipeline reads it for claims challenges).
    const challenge = `Bearer authorization_uri="https://login.microsoftonline.com/${state.authority.identity.tenantId}", error="invalid_token", error_description="${check.message}"`;
    return {
      answer: armError(401, check.code, check.message, undefined, {
        'www-authenticate': challenge,
      }),
      requestProblems: [],
    };
  }
  if (route.kind === 'unknown') {
    return {
      answer: armError(
        404,
        'InvalidResourceType',
        `No operation the stand-in serves matches ${call.method} ${call.url.pathname}.`,
      ),
      requestProblems: ['no operation in the contracts matches this request'],
    };
  }
  if (route.kind === 'arm-get') return serveArmGet(state, call, check.claims);
  const problems = state.contracts.validateRequest(route.match, {
    query: call.url.searchParams,
    body: call.body,
  });
  if (problems.length > 0) {
    return {
      answer: armError(
        400,
        'InvalidRequestContent',
        `The request does not match ${route.contract}: ${problems.join('; ')}`,
      ),
      requestProblems: problems,
    };
  }
  return { answer: serveContract(state, route, call, check.claims), requestProblems: [] };
}
