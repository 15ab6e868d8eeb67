import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../src/push/auth-error.js';
import { bearerTokenVerifier, type BearerTokenVerifier } from '../../src/push/bearer-token.js';
import { testIssuer, type TestIssuer } from './tokens.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const V1 = `https://sts.windows.net/${TENANT}/`;
const V2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const AUDIENCE = 'api://drift-detective-webhook';

async function failure(verify: BearerTokenVerifier, header: string | undefined) {
  try {
    await verify(header);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    return error as AuthenticationError;
  }
  throw new Error('expected a failure');
}

describe('bearerTokenVerifier', () => {
  let issuer: TestIssuer;
  let forger: TestIssuer;
  let stranger: TestIssuer;
  let verify: BearerTokenVerifier;
  beforeAll(async () => {
    issuer = await testIssuer();
    forger = await testIssuer(); // same kid, another key
    stranger = await testIssuer('other-key');
    verify = bearerTokenVerifier({ issuers: [V1, V2], audience: AUDIENCE, jwks: issuer.jwks });
  });
  const token = (claims: Record<string, unknown>, options = {}) =>
    issuer.sign({ iss: V1, aud: AUDIENCE, appid: 'event-grid', ...claims }, options);

  it('returns the claims of a good token, v1 or v2 issuer, any scheme case', async () => {
    expect(await verify(`Bearer ${await token({})}`)).toMatchObject({
      iss: V1,
      appid: 'event-grid',
    });
    expect(await verify(`bearer ${await token({ iss: V2 })}`)).toMatchObject({ iss: V2 });
  });

  it('names each failed check in one line, never with the token', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'missing'],
      ['Basic dXNlcjpwYXNz', 'malformed'],
      ['Bearer not-a-jwt', 'malformed'],
      [`Bearer ${await forger.sign({ iss: V1, aud: AUDIENCE })}`, 'bad_signature'],
      [`Bearer ${await stranger.sign({ iss: V1, aud: AUDIENCE })}`, 'unknown_key'],
      [`Bearer ${await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })}`, 'expired'],
      [`Bearer ${await token({}, { notBefore: '2h' })}`, 'not_yet_valid'],
      [`Bearer ${await token({ iss: 'https://sts.windows.net/someone-else/' })}`, 'wrong_issuer'],
      [`Bearer ${await token({ aud: 'api://another-app' })}`, 'wrong_audience'],
    ];
    for (const [header, reason] of cases) {
      const error = await failure(verify, header);
      expect([header, error.reason, error.status]).toEqual([header, reason, 401]);
      expect(error.message).not.toMatch(/\n/);
      const jwt = header?.split(' ')[1];
      if (jwt && jwt.length > 20) expect(error.message).not.toContain(jwt);
    }
  });

  it('allows clock skew within the tolerance', async () => {
    const lenient = bearerTokenVerifier({
      issuer: V1,
      audience: AUDIENCE,
      jwks: issuer.jwks,
      clockToleranceSec: 120,
    });
    const justExpired = await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 30 });
    expect(await lenient(`Bearer ${justExpired}`)).toMatchObject({ iss: V1 });
  });

  it('fetches a remote key set once, and answers 503 (not 401) when it cannot be read', async () => {
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const remote = bearerTokenVerifier({
      issuer: V1,
      audience: AUDIENCE,
      jwks: new URL(`http://127.0.0.1:${port}/keys`),
    });
    try {
      await remote(`Bearer ${await token({})}`);
      await remote(`Bearer ${await token({})}`);
      expect(fetches).toBe(1);
    } finally {
      server.close();
      server.closeAllConnections();
    }
    const unreachable = bearerTokenVerifier({
      issuer: V1,
      audience: AUDIENCE,
      jwks: new URL(`http://127.0.0.1:${port}/keys`),
      jwksTimeoutMs: 500,
    });
    const error = await failure(unreachable, `Bearer ${await token({})}`);
    expect([error.reason, error.status]).toEqual(['keys_unavailable', 503]);
  });

  it('needs an issuer and an audience', () => {
    expect(() => bearerTokenVerifier({ audience: AUDIENCE, jwks: { keys: [] } })).toThrow(
      RangeError,
    );
    expect(() => bearerTokenVerifier({ issuer: V1, audience: [], jwks: { keys: [] } })).toThrow(
      RangeError,
    );
  });
});
