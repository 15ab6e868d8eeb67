// The token endpoint of App Service / Azure Functions managed identity:
// GET {IDENTITY_ENDPOINT}?resource=…&api-version=2019-08-01 with header
// X-IDENTITY-HEADER = {IDENTITY_HEADER}; 200 answers
// {access_token, expires_on (epoch seconds), resource, token_type: "Bearer", client_id}
// (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference).
// MSAL's App Service source sends exactly this (@azure/msal-node
// ManagedIdentitySources/AppService.mjs), over https as well as http since
// @azure/identity hands MSAL its own HTTP pipeline.
import type { Answer } from './answers.js';
import type { JsonSchema } from './swagger-schema.js';
import type { TokenAuthority } from './tokens.js';

export const IDENTITY_PATH = '/msi/token';
export const IDENTITY_API_VERSION = '2019-08-01';
/** App Service tokens live about a day; MSAL refreshes after half of that. */
const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/** The documented 200 answer, for validating what the stand-in says. */
export const TOKEN_ANSWER_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['access_token', 'expires_on', 'resource', 'token_type', 'client_id'],
  properties: {
    access_token: { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' },
    expires_on: { type: 'string', pattern: '^[0-9]+$' },
    resource: { type: 'string', minLength: 1 },
    token_type: { const: 'Bearer' },
    client_id: { type: 'string', format: 'uuid' },
  },
  additionalProperties: false,
};

/** The error answer: the shape MSAL reads (`error`, `error_description`). */
export const TOKEN_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error', 'error_description'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  additionalProperties: false,
};

export interface TokenRequestOutcome {
  readonly answer: Answer;
  /** How the request departs from the documented one. */
  readonly problems: readonly string[];
}

const refuse = (
  status: number,
  error: string,
  description: string,
  problems: string[],
): TokenRequestOutcome => ({
  answer: { status, body: { error, error_description: description } },
  problems,
});

export function answerTokenRequest(
  query: URLSearchParams,
  identityHeader: string | undefined,
  secret: string,
  authority: TokenAuthority,
): TokenRequestOutcome {
  if (identityHeader === undefined) {
    return refuse(400, 'invalid_request', 'The X-IDENTITY-HEADER header is required.', [
      'X-IDENTITY-HEADER header is missing',
    ]);
  }
  if (identityHeader !== secret) {
    return refuse(
      401,
      'unauthorized_client',
      "The X-IDENTITY-HEADER header is not this app's secret.",
      ['X-IDENTITY-HEADER does not match IDENTITY_HEADER'],
    );
  }
  const apiVersion = query.get('api-version');
  if (apiVersion !== IDENTITY_API_VERSION) {
    return refuse(400, 'invalid_request', `api-version must be ${IDENTITY_API_VERSION}.`, [
      `api-version is ${apiVersion ?? '(missing)'}, not ${IDENTITY_API_VERSION}`,
    ]);
  }
  const resource = query.get('resource');
  if (resource === null || resource === '') {
    return refuse(400, 'invalid_request', 'The resource parameter is required.', [
      'resource is missing',
    ]);
  }
  const clientId = query.get('client_id');
  if (clientId !== null && clientId !== authority.identity.clientId) {
    return refuse(
      400,
      'invalid_request',
      `No managed identity with client id ${clientId} is assigned to this app.`,
      [],
    );
  }
  const { token, expiresOn } = authority.issue(resource, TOKEN_LIFETIME_SECONDS);
  return {
    answer: {
      status: 200,
      body: {
        access_token: token,
        expires_on: String(expiresOn),
        resource,
        token_type: 'Bearer',
        client_id: authority.identity.clientId,
      },
    },
    problems: [],
  };
}
