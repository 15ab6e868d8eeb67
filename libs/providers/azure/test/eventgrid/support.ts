import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { azureSpecsDir } from '@drift-detective/testing';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from 'jose';

/** Microsoft's contracts and example events, as the stand-in validates against them. */
export const SPECS = path.dirname(azureSpecsDir());

const RESOURCE_EXAMPLES = path.join(
  SPECS,
  'azure/specification/eventgrid/data-plane/Microsoft.Resources/stable/2018-01-01/examples',
);

export type ExampleSchema = 'event-grid-schema' | 'cloud-events-schema';

/** The names of Microsoft's example Resource events of one schema. */
export function exampleNames(schema: ExampleSchema): string[] {
  return readdirSync(path.join(RESOURCE_EXAMPLES, schema))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** One example event, parsed (each file holds one event object). */
export function example(schema: ExampleSchema, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(RESOURCE_EXAMPLES, schema, name), 'utf8')) as Record<
    string,
    unknown
  >;
}

export const TENANT = '72f988bf-0000-4000-8000-000000000047';
export const AUDIENCE = 'api://drift-detective-webhook';
export const ISSUER_V1 = `https://sts.windows.net/${TENANT}/`;

/** A key pair of the test's own and its key set: tokens without a tenant or a network. */
export interface TestIssuer {
  readonly jwks: JSONWebKeySet;
  sign(claims: JWTPayload, expiresAt?: number): Promise<string>;
}

export async function testIssuer(kid = 'test-key'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] },
    sign: (claims, expiresAt) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime(expiresAt ?? '1h')
        .sign(privateKey),
  };
}

export { countingCounter } from '@drift-detective/testing';
