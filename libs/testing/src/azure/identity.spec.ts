// Tokens come the way production gets them on App Service / Functions: the
// managed-identity endpoint, through DefaultAzureCredential; ARM takes only
// tokens the stand-in issued.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificateAuthority } from './ca.js';
import { IDENTITY_PATH } from './managed-identity.js';
import { applyEnv } from './process-env.js';
import { startAzureStandIn, type AzureStandIn } from './stand-in.js';
import { TokenAuthority } from './tokens.js';

const SUB = '00000000-1111-2222-3333-444444444444';
const GRAPH = '/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01';
const seed = [
  {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n`,
    name: 'n',
    type: 'microsoft.network/networksecuritygroups',
    subscriptionId: SUB,
  },
];

let standIn: AzureStandIn;
let restoreEnv: () => void;

beforeAll(async () => {
  standIn = await startAzureStandIn({ seed });
  restoreEnv = applyEnv(standIn.env);
});

afterAll(async () => {
  restoreEnv();
  await standIn.close();
});

const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

const postGraph = (authorization?: string) =>
  fetch(`${standIn.endpoint}${GRAPH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ subscriptions: [SUB], query: 'resources' }),
  });

describe('DefaultAzureCredential against the stand-in', () => {
  it('gets an ARM token from the managed-identity endpoint (App Service source, over HTTPS)', async () => {
    const token = await new DefaultAzureCredential().getToken(
      'https://management.azure.com/.default',
    );
    const claims = claimsOf(token.token);
    expect(claims).toMatchObject({
      aud: 'https://management.azure.com',
      tid: standIn.identity.tenantId,
      appid: standIn.identity.clientId,
    });
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
    const tokenRequests = standIn.requests().filter((e) => e.operation === 'ManagedIdentityToken');
    expect(tokenRequests).toEqual([
      expect.objectContaining({
        status: 200,
        apiVersion: '2019-08-01',
        requestValid: true,
        answerValid: true,
      }),
    ]);
  });

  it('is what an SDK client sends to ARM', async () => {
    const client = new ResourceGraphClient(new DefaultAzureCredential(), {
      endpoint: standIn.endpoint,
    });
    const answer = await client.resources({ subscriptions: [SUB], query: 'resources' });
    expect(answer.totalRecords).toBe(1);
  });
});

describe('the managed-identity endpoint', () => {
  const ask = (query: string, header?: string) =>
    fetch(`${standIn.endpoint}${IDENTITY_PATH}?${query}`, {
      headers: header === undefined ? {} : { 'X-IDENTITY-HEADER': header },
    });
  const secret = () => standIn.env['IDENTITY_HEADER']!;
  const resource = 'resource=https%3A%2F%2Fmanagement.azure.com';

  it('answers the documented token shape', async () => {
    const answer = await ask(`${resource}&api-version=2019-08-01`, secret());
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'client_id',
      'expires_on',
      'resource',
      'token_type',
    ]);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://management.azure.com',
      client_id: standIn.identity.clientId,
    });
    expect(body['expires_on']).toMatch(/^\d+$/);
  });

  it.each([
    ['without the secret header', `${resource}&api-version=2019-08-01`, undefined, 400],
    ['with a wrong secret', `${resource}&api-version=2019-08-01`, 'guess', 401],
    ['with another api-version', `${resource}&api-version=2017-09-01`, 'SECRET', 400],
    ['without a resource', 'api-version=2019-08-01', 'SECRET', 400],
  ])('refuses a request %s', async (_, query, header, status) => {
    const answer = await ask(query, header === 'SECRET' ? secret() : header);
    expect(answer.status).toBe(status);
    expect(await answer.json()).toMatchObject({
      error: expect.any(String),
      error_description: expect.any(String),
    });
    const entry = standIn.requests().at(-1)!;
    expect(entry).toMatchObject({
      operation: 'ManagedIdentityToken',
      status,
      requestValid: false,
      answerValid: true,
    });
  });
});

describe('ARM authentication', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'forger-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([
    ['no Authorization header', () => undefined, 'AuthenticationFailed'],
    ['a token that is not a JWT', () => 'Bearer not-a-token', 'AuthenticationFailed'],
    [
      'a token signed by someone else',
      () =>
        `Bearer ${new TokenAuthority(createTestCertificateAuthority(scratch), standIn.identity).issue('https://management.azure.com', 3600).token}`,
      'InvalidAuthenticationToken',
    ],
  ])('answers 401 in the ARM error shape to %s', async (_, authorization, code) => {
    const answer = await postGraph(authorization());
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=/);
    expect(await answer.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(standIn.requests().at(-1)).toMatchObject({
      status: 401,
      requestValid: true,
      answerValid: true,
    });
  });

  it('answers 401 to a genuine token for another audience', async () => {
    const token = await new DefaultAzureCredential().getToken('https://vault.azure.net/.default');
    const answer = await postGraph(`Bearer ${token.token}`);
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
      'InvalidAuthenticationTokenAudience',
    );
  });
});
