import {
  AuthenticationError,
  bearerTokenVerifier,
  readKeySet,
  type RouteRequest,
} from '@drift-detective/pipeline';
import type { JSONWebKeySet } from 'jose';

/**
 * The issuers of Google-signed OIDC tokens: Google documents both spellings, and a verifier
 * must take either.
 * https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions
 * https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken
 */
export const GOOGLE_ISSUERS: readonly string[] = [
  'https://accounts.google.com',
  'accounts.google.com',
];

/** Google's OAuth 2.0 signing keys (the jwks_uri of https://accounts.google.com/.well-known/openid-configuration). */
export const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';

export interface PubSubPushAuthOptions {
  /**
   * The audience the push subscription puts in its tokens: the one set with
   * `--push-auth-token-audience`, or by default the push endpoint's URL.
   */
  readonly audience: string | readonly string[];
  /** The service account the subscription signs tokens as (`--push-auth-service-account`). */
  readonly serviceAccountEmail: string;
  /**
   * The signing keys: an https URL (default Google's), a key set in hand, or the path of a
   * JWKS file (tests, air-gapped installs), read once here.
   */
  readonly jwks?: URL | JSONWebKeySet | string | undefined;
  readonly clockToleranceSec?: number | undefined;
}

/** Resolves when the request comes from the push subscription; throws AuthenticationError otherwise. */
export type PushAuthenticator = (request: Pick<RouteRequest, 'headers'>) => Promise<void>;

/**
 * Authenticates a Pub/Sub push request: `Authorization: Bearer <OIDC token>` that Google signs
 * for the subscription's service account. Checked, as Google's guide lists: the signature
 * against Google's keys, the issuer, the audience, the expiry, and that the `email` claim is
 * the configured service account with `email_verified` true — any service account can get a
 * Google-signed token for any audience, so the signature alone proves nothing about the sender.
 * https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions#validate_tokens
 */
export function pubsubPushAuthenticator(options: PubSubPushAuthOptions): PushAuthenticator {
  const email = options.serviceAccountEmail.trim();
  if (email === '' || !email.includes('@')) {
    throw new RangeError('Pub/Sub push authentication needs the push service account email');
  }
  const jwks =
    typeof options.jwks === 'string'
      ? readKeySet(options.jwks, 'Pub/Sub push JWKS')
      : (options.jwks ?? new URL(GOOGLE_JWKS_URL));
  const verify = bearerTokenVerifier({
    issuers: GOOGLE_ISSUERS,
    audience: options.audience,
    jwks,
    clockToleranceSec: options.clockToleranceSec,
  });
  // Emails are case-insensitive in their domain, and Google writes service accounts in lower case.
  const expected = email.toLowerCase();
  return async (request) => {
    const claims = await verify(first(request.headers['authorization']));
    const claimed = claims['email'];
    if (typeof claimed !== 'string' || claimed.toLowerCase() !== expected) {
      throw new AuthenticationError('wrong_claims', 'the token is not the push service account’s');
    }
    if (claims['email_verified'] !== true) {
      throw new AuthenticationError('wrong_claims', 'the token’s email is not verified');
    }
  };
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}
