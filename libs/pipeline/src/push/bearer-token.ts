import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AuthenticationError, type AuthFailureReason } from './auth-error.js';

export interface BearerTokenOptions {
  /** The one issuer accepted (`iss`), or… */
  readonly issuer?: string | undefined;
  /** …the issuers accepted: an identity provider may issue two token versions. */
  readonly issuers?: readonly string[] | undefined;
  /** The audience(s) accepted (`aud`). */
  readonly audience: string | readonly string[];
  /** Where the signing keys are: a JWKS URL (fetched, cached) or a key set in hand. */
  readonly jwks: URL | JSONWebKeySet;
  /** Clock skew allowed on exp and nbf, in seconds (default 60). */
  readonly clockToleranceSec?: number | undefined;
  /** Timeout of a JWKS fetch in ms (default 5000). */
  readonly jwksTimeoutMs?: number | undefined;
  /** Signature algorithms accepted (default RS256, what Entra ID signs with). */
  readonly algorithms?: readonly string[] | undefined;
}

/** Verifies an Authorization header; resolves with the token's claims or throws AuthenticationError. */
export type BearerTokenVerifier = (authorization: string | undefined) => Promise<JWTPayload>;

export const DEFAULT_CLOCK_TOLERANCE_SEC = 60;
export const DEFAULT_JWKS_TIMEOUT_MS = 5000;

/**
 * A verifier of `Authorization: Bearer <JWT>` headers: signature against the
 * key set, issuer, audience, exp (required) and nbf. The key set is made once,
 * so a remote one is fetched once and cached between calls. Errors name the
 * failed check in one line and never include the token.
 */
export function bearerTokenVerifier(options: BearerTokenOptions): BearerTokenVerifier {
  const issuers = [
    ...(options.issuers ?? []),
    ...(options.issuer === undefined ? [] : [options.issuer]),
  ];
  if (issuers.length === 0) throw new RangeError('a bearer token verifier needs an issuer');
  const audience =
    typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  if (audience.length === 0) throw new RangeError('a bearer token verifier needs an audience');
  const keys: JWTVerifyGetKey =
    options.jwks instanceof URL
      ? createRemoteJWKSet(options.jwks, {
          timeoutDuration: options.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
        })
      : createLocalJWKSet(options.jwks);
  const verifyOptions = {
    issuer: issuers,
    audience,
    algorithms: [...(options.algorithms ?? ['RS256'])],
    clockTolerance: options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC,
    requiredClaims: ['exp'],
  };
  return async (authorization) => {
    const token = tokenOf(authorization);
    try {
      const { payload } = await jwtVerify(token, keys, verifyOptions);
      return payload;
    } catch (error) {
      throw asAuthenticationError(error);
    }
  };
}

/** The token of a `Bearer` Authorization header (the scheme is case-insensitive: RFC 9110 §11.1). */
function tokenOf(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') {
    throw new AuthenticationError('missing', 'no Authorization header');
  }
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization.trim());
  if (!match?.[1]) throw new AuthenticationError('malformed', 'not a Bearer token');
  return match[1];
}

/** Token failures by jose error code; any other failure is the key source's, not the caller's. */
const REASONS: Readonly<Record<string, AuthFailureReason>> = {
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad_signature',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown_key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'unknown_key',
  ERR_JWT_EXPIRED: 'expired',
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed',
  ERR_JOSE_ALG_NOT_ALLOWED: 'malformed',
  ERR_JOSE_NOT_SUPPORTED: 'malformed',
};

/** Failed claim checks by claim name. */
const CLAIM_REASONS: Readonly<Record<string, AuthFailureReason>> = {
  iss: 'wrong_issuer',
  aud: 'wrong_audience',
  nbf: 'not_yet_valid',
};

function asAuthenticationError(error: unknown): AuthenticationError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = String((error as { claim?: unknown }).claim);
    return new AuthenticationError(CLAIM_REASONS[claim] ?? 'wrong_claims', message, {
      cause: error,
    });
  }
  const reason = typeof code === 'string' ? REASONS[code] : undefined;
  // A JWKS that timed out or could not be read says nothing about the caller:
  // the sender should try again rather than be turned away for good.
  return new AuthenticationError(reason ?? 'keys_unavailable', message, { cause: error });
}
