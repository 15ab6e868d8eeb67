import {
  AuthenticationError,
  bearerTokenVerifier,
  verifySharedSecret,
  type RouteRequest,
} from '@drift-detective/pipeline';
import type { JSONWebKeySet } from 'jose';

export interface EntraAuthOptions {
  /** The tenant of the Entra application the event subscription names. */
  readonly tenantId: string;
  /**
   * The token audience: the Application ID URI or client id given to the
   * event subscription (azureActiveDirectoryApplicationIdOrUri).
   */
  readonly audience: string | readonly string[];
  /** The signing keys (default: the tenant's published key set). Tests pass their own. */
  readonly jwks?: URL | JSONWebKeySet | undefined;
  readonly clockToleranceSec?: number | undefined;
  /**
   * An app role the token must carry in `roles`, e.g.
   * "AzureEventGridSecureWebhookSubscriber", the role the setup script of
   * secure-webhook-delivery assigns to Event Grid: without it any client of
   * the tenant that may get a token for the audience would pass
   * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
   */
  readonly requiredRole?: string | undefined;
}

export interface SharedSecretOptions {
  /** Accepted secrets: more than one while a secret is rotated. */
  readonly secrets: readonly string[];
  /** The query parameter holding it (Event Grid sends the endpoint URL's query on every delivery). */
  readonly queryParameter?: string | undefined;
  /** Or the header holding it (a delivery property marked secret). */
  readonly header?: string | undefined;
}

export interface EventGridAuthOptions {
  readonly entra?: EntraAuthOptions | undefined;
  readonly sharedSecret?: SharedSecretOptions | undefined;
}

/** Resolves when the request comes from the expected sender; throws AuthenticationError otherwise. */
export type RequestAuthenticator = (
  request: Pick<RouteRequest, 'headers' | 'query'>,
) => Promise<void>;

/**
 * The issuers of Entra ID access tokens for a tenant: v1.0 tokens (what Event
 * Grid's AAD-protected delivery has been seen to present) and v2.0 tokens,
 * chosen by the application's requestedAccessTokenVersion
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens).
 */
export function entraIssuers(tenantId: string): string[] {
  return [
    `https://sts.windows.net/${tenantId}/`,
    `https://login.microsoftonline.com/${tenantId}/v2.0`,
  ];
}

/** The tenant's signing keys (the jwks_uri of its OpenID configuration). */
export function entraKeySet(tenantId: string): URL {
  return new URL(
    `https://login.microsoftonline.com/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`,
  );
}

/**
 * Authenticates every call, handshakes included, by what Event Grid can
 * present: an Entra ID bearer token for an AAD-protected webhook
 * (https://learn.microsoft.com/azure/event-grid/secure-webhook-delivery), a
 * shared secret in a query parameter of the endpoint URL
 * (https://learn.microsoft.com/azure/event-grid/security-authentication), or
 * in a header set as a delivery property
 * (https://learn.microsoft.com/azure/event-grid/delivery-properties). When
 * both are configured both must pass. Configuring neither is refused: a
 * webhook that anyone can call would judge whatever it is told.
 */
export function eventGridAuthenticator(options: EventGridAuthOptions): RequestAuthenticator {
  const { entra, sharedSecret } = options;
  if (!entra && !sharedSecret) {
    throw new RangeError('the Event Grid webhook needs an Entra ID audience or a shared secret');
  }
  if (sharedSecret) {
    if (!sharedSecret.queryParameter && !sharedSecret.header) {
      throw new RangeError('a shared secret needs the query parameter or header that carries it');
    }
    // Refuses an empty secret list or an empty secret now, not on the first call.
    verifySharedSecret('', sharedSecret.secrets);
  }
  const verifyToken =
    entra &&
    bearerTokenVerifier({
      issuers: entraIssuers(entra.tenantId),
      audience: entra.audience,
      jwks: entra.jwks ?? entraKeySet(entra.tenantId),
      clockToleranceSec: entra.clockToleranceSec,
    });
  return async (request) => {
    if (sharedSecret) checkSecret(request, sharedSecret);
    if (!verifyToken) return;
    const claims = await verifyToken(first(request.headers['authorization']));
    const role = entra?.requiredRole;
    if (role !== undefined && !(Array.isArray(claims['roles']) && claims['roles'].includes(role))) {
      throw new AuthenticationError('wrong_claims', `the token lacks the role ${role}`);
    }
  };
}

function checkSecret(
  request: Pick<RouteRequest, 'headers' | 'query'>,
  options: SharedSecretOptions,
): void {
  const provided =
    (options.queryParameter === undefined
      ? undefined
      : (request.query.get(options.queryParameter) ?? undefined)) ??
    (options.header === undefined
      ? undefined
      : first(request.headers[options.header.toLowerCase()]));
  if (provided === undefined || provided === '') {
    throw new AuthenticationError('missing', 'no shared secret');
  }
  if (!verifySharedSecret(provided, options.secrets)) {
    throw new AuthenticationError('wrong_secret', 'the shared secret does not match');
  }
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}
