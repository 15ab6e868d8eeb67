import { describe, expect, it } from 'vitest';
import { createAzureClients } from '../../src/arm/clients.js';
import { readResourceForJudgement } from '../../src/arm/read-resource.js';
import { fakeCredential, fakeTransport, type Handler } from './fake-arm.js';
import { scan } from '../helpers.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const RG = `/subscriptions/${SUB}/resourceGroups/rg`;
const ACCOUNT = `${RG}/providers/Microsoft.Storage/storageAccounts/acct`;
const SERVER = `${RG}/providers/Microsoft.Sql/servers/db1`;

function clientsWith(handler: Handler) {
  const transport = fakeTransport(handler);
  const clients = createAzureClients({
    credential: fakeCredential(),
    endpoint: 'https://management.example.test',
    httpClient: transport,
    retry: { maxRetries: 0 },
  });
  return { clients, transport };
}

const account = {
  id: ACCOUNT,
  name: 'acct',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  properties: { allowBlobPublicAccess: true, supportsHttpsTrafficOnly: true },
};
const container = (name: string, publicAccess: string) => ({
  id: `${ACCOUNT}/blobServices/default/containers/${name}`,
  name,
  type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
  properties: { publicAccess },
});

const storage: Handler = ({ url }) => {
  const path = url.pathname;
  if (path === ACCOUNT) return { status: 200, body: account };
  if (path === `${ACCOUNT}/blobServices`) {
    return {
      status: 200,
      body: {
        value: [
          {
            id: `${ACCOUNT}/blobServices/default`,
            name: 'default',
            type: 'Microsoft.Storage/storageAccounts/blobServices',
            properties: { isVersioningEnabled: true },
          },
        ],
      },
    };
  }
  if (path === `${ACCOUNT}/blobServices/default/containers`) {
    if (url.searchParams.get('page') === '2')
      return { status: 200, body: { value: [container('b', 'None')] } };
    return {
      status: 200,
      body: {
        value: [container('a', 'Container')],
        nextLink: `https://management.example.test${path}?api-version=2025-06-01&page=2`,
      },
    };
  }
  return { status: 404, body: { error: { code: 'ResourceNotFound', message: path } } };
};

describe('readResourceForJudgement', () => {
  it('reads a container event as its account, with blobServices and every page of containers', async () => {
    const { clients, transport } = clientsWith(storage);
    const read = await readResourceForJudgement(
      clients,
      `${ACCOUNT}/blobServices/default/containers/a`,
    );
    expect(read.status).toBe('found');
    if (read.status !== 'found') return;
    expect(read.judgedId).toBe(ACCOUNT);
    expect(
      transport.requests.every((r) => r.url.searchParams.get('api-version') === '2025-06-01'),
    ).toBe(true);
    const result = scan([{ body: read.document, source: 'event' }]);
    expect(result.errors).toEqual([]);
    const byName = new Map(result.resources.map((r) => [r.name, r]));
    expect(byName.get('acct')?.properties).toMatchObject({ versioning: { enabled: true } });
    expect(byName.get('a')?.properties).toMatchObject({
      containerPublicAccess: 'Container',
      allowBlobPublicAccess: true,
    });
    expect(byName.get('b')?.properties).toMatchObject({ containerPublicAccess: 'None' });
  });

  it('reads a SQL server with its firewall rules set in, an empty list being "no rules"', async () => {
    const { clients } = clientsWith(({ url }) => {
      if (url.pathname === SERVER) {
        return {
          status: 200,
          body: {
            id: SERVER,
            name: 'db1',
            type: 'Microsoft.Sql/servers',
            properties: { publicNetworkAccess: 'Enabled' },
          },
        };
      }
      if (url.pathname === `${SERVER}/firewallRules`) return { status: 200, body: { value: [] } };
      return { status: 404 };
    });
    const read = await readResourceForJudgement(clients, `${SERVER}/firewallRules/old`);
    if (read.status !== 'found') throw new Error(read.status);
    const [server] = scan([{ body: read.document, source: 'event' }]).resources;
    expect(server?.properties).toMatchObject({ publicNetworkAccess: true, allowedNetworks: [] });
  });

  it('answers gone on 404, saying whether it is the resource asked about or its parent', async () => {
    const { clients } = clientsWith(() => ({
      status: 404,
      body: { error: { code: 'ResourceNotFound', message: 'gone' } },
    }));
    await expect(readResourceForJudgement(clients, ACCOUNT)).resolves.toEqual({
      status: 'gone',
      judgedId: ACCOUNT,
      judgedIsRequested: true,
    });
    await expect(
      readResourceForJudgement(clients, `${ACCOUNT}/blobServices/default/containers/a`),
    ).resolves.toMatchObject({ status: 'gone', judgedIsRequested: false });
  });

  it('throws other failures, and reads nothing for a type it has no api-version for', async () => {
    const { clients, transport } = clientsWith(() => ({
      status: 403,
      body: { error: { code: 'AuthorizationFailed', message: 'no' } },
    }));
    await expect(readResourceForJudgement(clients, ACCOUNT)).rejects.toMatchObject({
      statusCode: 403,
    });
    const ip = `${RG}/providers/Microsoft.Network/publicIPAddresses/ip1`;
    await expect(readResourceForJudgement(clients, ip)).resolves.toEqual({
      status: 'unsupported',
      resourceId: ip,
    });
    expect(transport.requests).toHaveLength(1);
  });
});
