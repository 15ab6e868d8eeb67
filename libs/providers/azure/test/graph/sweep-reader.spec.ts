import type { SweepPage } from '@drift-detective/pipeline';
import { describe, expect, it } from 'vitest';
import { createAzureClients } from '../../src/arm/clients.js';
import { managementGroupSubscriptions } from '../../src/graph/management-group.js';
import {
  resourceGraphSweep,
  type ResourceGraphSweepOptions,
} from '../../src/graph/sweep-reader.js';
import { fakeCredential, fakeTransport } from '../arm/fake-arm.js';
import { scan } from '../helpers.js';
import { fakeGraph, type FakeGraphSeed } from './fake-graph.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const RG = `/subscriptions/${SUB}/resourceGroups/rg`;
const account = (name: string, allow: boolean) => ({
  id: `${RG}/providers/Microsoft.Storage/storageAccounts/${name}`,
  name,
  type: 'microsoft.storage/storageaccounts',
  subscriptionId: SUB,
  location: 'westeurope',
  properties: { allowBlobPublicAccess: allow, supportsHttpsTrafficOnly: true },
});
const nsg = {
  id: `${RG}/providers/Microsoft.Network/networkSecurityGroups/nsg1`,
  name: 'nsg1',
  type: 'microsoft.network/networksecuritygroups',
  subscriptionId: SUB,
  location: 'westeurope',
  properties: { securityRules: [] },
};
const server = {
  id: `${RG}/providers/Microsoft.Sql/servers/db1`,
  name: 'db1',
  type: 'microsoft.sql/servers',
  subscriptionId: SUB,
  location: 'westeurope',
  properties: { publicNetworkAccess: 'Enabled' },
};
const role = {
  id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/r1`,
  name: 'r1',
  type: 'microsoft.authorization/roledefinitions',
  properties: {
    roleName: 'everything',
    type: 'CustomRole',
    assignableScopes: [`/subscriptions/${SUB}`],
    permissions: [{ actions: ['*'], notActions: [] }],
  },
};

function children(accountId: string, containers: Record<string, string>): FakeGraphSeed['arm'] {
  return {
    [`${accountId}/blobServices`]: {
      status: 200,
      body: {
        value: [
          {
            id: `${accountId}/blobServices/default`,
            name: 'default',
            type: 'Microsoft.Storage/storageAccounts/blobServices',
            properties: { isVersioningEnabled: false },
          },
        ],
      },
    },
    [`${accountId}/blobServices/default/containers`]: {
      status: 200,
      body: {
        value: Object.entries(containers).map(([name, publicAccess]) => ({
          id: `${accountId}/blobServices/default/containers/${name}`,
          name,
          type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
          properties: { publicAccess },
        })),
      },
    },
  };
}

const a1 = account('a1', true);
const a2 = account('a2', false);
const a3 = account('a3', true);

function seed(overrides: Partial<FakeGraphSeed> = {}): FakeGraphSeed {
  return {
    resources: [a1, a2, a3, nsg, server],
    roleDefinitions: [role],
    changes: [
      {
        properties: {
          targetResourceId: a1.id,
          changeType: 'Update',
          changeAttributes: { changedBy: 'old@contoso.com', timestamp: '2024-04-01T00:00:00Z' },
          changes: {},
        },
      },
      {
        properties: {
          targetResourceId: a1.id.toLowerCase(),
          changeType: 'Update',
          changeAttributes: {
            changedBy: 'alice@contoso.com',
            clientType: 'Azure CLI',
            timestamp: '2024-04-30T10:00:00Z',
            correlationId: 'c-1',
          },
          changes: {
            'properties.allowBlobPublicAccess': { previousValue: 'False', newValue: 'True' },
          },
        },
      },
    ],
    arm: {
      ...children(a1.id, { pub: 'Container', priv: 'None' }),
      ...children(a2.id, {}),
      ...children(a3.id, { c3: 'Blob' }),
      [`${server.id}/firewallRules`]: {
        status: 200,
        body: {
          value: [
            {
              id: `${server.id}/firewallRules/all`,
              name: 'all',
              type: 'Microsoft.Sql/servers/firewallRules',
              properties: { startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' },
            },
          ],
        },
      },
    },
    ...overrides,
  };
}

function sweepOf(world: FakeGraphSeed, options: Partial<ResourceGraphSweepOptions> = {}) {
  const transport = fakeTransport(fakeGraph(world));
  const clients = createAzureClients({
    credential: fakeCredential(),
    endpoint: 'https://management.example.test',
    httpClient: transport,
    retry: { maxRetries: 0 },
  });
  const warnings: string[] = [];
  const logger = {
    warn: (_: Record<string, unknown>, message: string) => void warnings.push(message),
  };
  const factory = resourceGraphSweep({
    clients,
    subscription: SUB,
    pageSize: 2,
    logger,
    ...options,
  });
  return { factory, transport, warnings, clients };
}

async function pagesOf(reader: AsyncIterable<SweepPage>): Promise<SweepPage[]> {
  const pages: SweepPage[] = [];
  for await (const page of reader) pages.push(page);
  return pages;
}

const judged = (pages: SweepPage[]) =>
  pages.flatMap((page, index) => {
    expect(page.documents.length).toBeLessThanOrEqual(1);
    return page.documents.map((body) => scan([{ body, source: `page ${index}` }]));
  });

describe('resourceGraphSweep', () => {
  it('pages the resources table then role definitions, one document a page with its children', async () => {
    const { factory, transport } = sweepOf(seed());
    const pages = await pagesOf(factory(null));
    // 5 rows by 2, then one page of role definitions.
    expect(pages).toHaveLength(4);
    const results = judged(pages);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const resources = results.flatMap((r) => r.resources);
    expect(resources.map((r) => r.name).sort()).toEqual(
      ['a1', 'a2', 'a3', 'c3', 'db1', 'everything', 'nsg1', 'priv', 'pub'].sort(),
    );
    const pub = resources.find((r) => r.name === 'pub');
    expect(pub?.properties).toMatchObject({
      containerPublicAccess: 'Container',
      allowBlobPublicAccess: true,
    });
    const db = resources.find((r) => r.name === 'db1');
    expect(db?.properties).toMatchObject({
      allowedNetworks: [{ name: 'all', startIp: '0.0.0.0', endIp: '255.255.255.255' }],
    });
    const queries = transport.requests
      .filter((r) => r.url.pathname.endsWith('/resources'))
      .map(
        (r) =>
          r.body as { query: string; options: Record<string, unknown>; subscriptions: string[] },
      );
    expect(
      queries.every(
        (q) => q.subscriptions[0] === SUB && q.options['resultFormat'] === 'objectArray',
      ),
    ).toBe(true);
  });

  it("sets each row's newest recorded change as Resource.change", async () => {
    const { factory } = sweepOf(seed());
    const resources = judged(await pagesOf(factory(null))).flatMap((r) => r.resources);
    expect(resources.find((r) => r.name === 'a1')?.change).toEqual({
      changedBy: 'alice@contoso.com (Azure CLI)',
      changedAt: '2024-04-30T10:00:00.000Z',
      changeType: 'update',
      fields: [{ path: 'properties.allowBlobPublicAccess', before: 'False', after: 'True' }],
      relatedEvents: ['c-1'],
    });
    expect(resources.find((r) => r.name === 'a2')?.change).toBeUndefined();
  });

  it('resumes after a saved page, asking Resource Graph with its skip token', async () => {
    const { factory, transport } = sweepOf(seed());
    const all = await pagesOf(factory(null));
    transport.requests.length = 0;
    const rest = await pagesOf(factory(all[0]!.cursor));
    expect(rest.map((p) => p.cursor)).toEqual(all.slice(1).map((p) => p.cursor));
    const first = transport.requests.find((r) => r.url.pathname.endsWith('/resources'));
    expect((first?.body as { options: Record<string, unknown> }).options['$skipToken']).toBe('2');
    expect(await pagesOf(factory(all[3]!.cursor))).toEqual([]);
  });

  it('skips a resource whose children cannot be read, never judging it on unknowns', async () => {
    const world = seed();
    world.arm![`${a3.id}/blobServices/default/containers`] = {
      status: 403,
      body: { error: { code: 'AuthorizationFailed', message: 'no list' } },
    };
    const { factory, warnings } = sweepOf(world);
    const results = judged(await pagesOf(factory(null)));
    const errors = results.flatMap((r) => r.errors);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(
      /a3 could not be read: .*HTTP 403 AuthorizationFailed: no list/,
    );
    expect(
      results.flatMap((r) => r.resources).some((r) => r.name === 'a3' || r.name === 'c3'),
    ).toBe(false);
    expect(warnings).toContain('children of a resource could not be read: resource skipped');
  });

  it('goes on unattributed when resource changes cannot be read', async () => {
    const { factory, warnings } = sweepOf(
      seed({
        changesAnswer: { status: 403, body: { error: { code: 'Forbidden', message: 'no' } } },
      }),
    );
    const resources = judged(await pagesOf(factory(null))).flatMap((r) => r.resources);
    expect(resources.every((r) => r.change === undefined)).toBe(true);
    expect(warnings).toContain('resource changes could not be read: page not attributed');
  });

  it('starts over on a cursor of another sweep and refuses what is no cursor', async () => {
    const { factory: other } = sweepOf(seed(), { types: ['Microsoft.Sql/servers'] });
    const foreign = (await pagesOf(other(null)))[0]!.cursor;
    const { factory, warnings } = sweepOf(seed());
    expect(await pagesOf(factory(foreign))).toHaveLength(4);
    expect(warnings).toContain('saved sweep cursor is of another sweep: sweeping from the start');
    await expect(pagesOf(factory('{"v":1,"index":0}'))).rejects.toThrow(
      /not a Resource Graph sweep cursor/,
    );
  });

  it('fails on a truncated answer without a skip token instead of missing rows', async () => {
    const truncated = sweepOf(seed());
    const original = truncated.transport.sendRequest.bind(truncated.transport);
    truncated.transport.sendRequest = async (request) => {
      const response = await original(request);
      if (request.url.endsWith('api-version=2024-04-01')) {
        response.bodyAsText = JSON.stringify({
          totalRecords: 9,
          count: 1,
          resultTruncated: 'true',
          data: [nsg],
        });
      }
      return response;
    };
    await expect(pagesOf(truncated.factory(null))).rejects.toThrow(
      /truncated result without a skip token/,
    );
  });

  it('checks its options before any call', () => {
    const { clients } = sweepOf(seed());
    expect(() => resourceGraphSweep({ clients, subscription: 'not-a-guid' })).toThrow(TypeError);
    expect(() => resourceGraphSweep({ clients, subscription: SUB, pageSize: 1001 })).toThrow(
      RangeError,
    );
  });
});

describe('managementGroupSubscriptions', () => {
  it('lists the subscriptions under a group, with partial scopes allowed', async () => {
    const { clients, transport } = sweepOf(
      seed({
        subscriptions: [
          {
            id: `/subscriptions/${SUB}`,
            subscriptionId: SUB,
            name: 'prod',
            properties: { state: 'Enabled' },
          },
          { id: '/subscriptions/x', name: 'no id' },
        ],
      }),
    );
    await expect(
      managementGroupSubscriptions({ clients, managementGroup: 'mg1' }),
    ).resolves.toEqual([{ subscriptionId: SUB, name: 'prod', state: 'Enabled' }]);
    expect(transport.requests[0]?.body).toMatchObject({
      managementGroups: ['mg1'],
      options: { allowPartialScopes: true, resultFormat: 'objectArray' },
    });
  });
});
