// Access tokens in the shape Microsoft Entra ID issues (a JWT: header.payload.
// signature, https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference),
// signed RS256 with the test CA's key. Every stand-in started from the same CA
// accepts the others' tokens, as every Azure service accepts tokens of one
// tenant; that matters because MSAL caches managed-identity tokens process-wide
// (ManagedIdentityApplication.nodeStorage is static in @azure/msal-node).
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { caThumbprint, type TestCa } from './ca.js';

export interface Identity {
  readonly tenantId: string;
  /** The managed identity's application (client) id. */
  readonly clientId: string;
  /** Its service principal's object id. */
  readonly principalId: string;
}

export interface TokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly oid: string;
  readonly tid: string;
  readonly appid: string;
  readonly sub: string;
  readonly idtyp: 'app';
  readonly ver: '1.0';
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * The audiences ARM accepts, as its own 401 lists them ("It should exactly match
 * with one of the allowed audiences …", quoted in
 * https://github.com/Microsoft/azure-tools-for-java/issues/2675).
 */
const ARM_AUDIENCES = new Set([
  'https://management.azure.com',
  'https://management.azure.com/',
  'https://management.core.windows.net',
  'https://management.core.windows.net/',
]);

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class TokenAuthority {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;

  constructor(
    ca: TestCa,
    readonly identity: Identity,
  ) {
    this.privateKey = createPrivateKey(ca.keyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.kid = caThumbprint(ca);
  }

  issue(resource: string, lifetimeSeconds: number): { token: string; expiresOn: number } {
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = {
      aud: resource,
      iss: `https://sts.windows.net/${this.identity.tenantId}/`,
      iat: now,
      nbf: now - 300,
      exp: now + lifetimeSeconds,
      oid: this.identity.principalId,
      tid: this.identity.tenantId,
      appid: this.identity.clientId,
      sub: this.identity.principalId,
      idtyp: 'app',
      ver: '1.0',
    };
    const unsigned = `${encode({ typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid })}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(unsigned), this.privateKey).toString('base64url');
    return { token: `${unsigned}.${signature}`, expiresOn: claims.exp };
  }

  /**
   * Checks an Authorization header as ARM does (every request carries
   * `Authorization: Bearer <token>`: https://learn.microsoft.com/rest/api/azure/#create-the-request).
   * The 401 codes are those ARM answers with; only the audience message is
   * quoted from a real answer, the others are paraphrased.
   */
  checkAuthorization(header: string | undefined): TokenCheck {
    if (header === undefined || header === '') {
      return {
        ok: false,
        code: 'AuthenticationFailed',
        message: "Authentication failed. The 'Authorization' header is missing.",
      };
    }
    const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header);
    if (match === null) {
      return {
        ok: false,
        code: 'AuthenticationFailed',
        message:
          "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      };
    }
    const [, head, body, signature] = match as unknown as [string, string, string, string];
    const genuine = verify(
      'sha256',
      Buffer.from(`${head}.${body}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!genuine) {
      return {
        ok: false,
        code: 'InvalidAuthenticationToken',
        message: 'The access token is invalid.',
      };
    }
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    const now = Math.floor(Date.now() / 1000);
    if (claims.exp <= now) {
      return {
        ok: false,
        code: 'ExpiredAuthenticationToken',
        message: 'The access token expiry UTC time is earlier than current UTC time.',
      };
    }
    if (!ARM_AUDIENCES.has(claims.aud)) {
      return {
        ok: false,
        code: 'InvalidAuthenticationTokenAudience',
        message: `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${[...ARM_AUDIENCES].map((a) => `'${a}'`).join(',')}.`,
      };
    }
    return { ok: true, claims };
  }
}
