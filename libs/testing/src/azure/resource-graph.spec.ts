// Resource Graph through the real ResourceGraphClient: scopes, the KQL subset,
// paging, table placement, change records and the per-user quota.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from './process-env.js';
import { startAzureStandIn, type AzureStandIn } from './stand-in.js';

const sample = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../../../samples/azure/resource-graph-answer.json'),
    'utf8',
  ),
) as { data: Record<string, unknown>[] };
const SUB = '00000000-1111-2222-3333-444444444444';
const OTHER = '99999999-8888-7777-6666-555555555555';
const HIDDEN = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

const nsg = (sub: string, name: string) => ({
  id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/${name}`,
  name,
  type: 'microsoft.network/networksecuritygroups',
  subscriptionId: sub,
  resourceGroup: 'rg',
  properties: { securityRules: [] },
});

const seed = {
  ...sample,
  data: [...sample.data, nsg(OTHER, 'other-nsg'), nsg(HIDDEN, 'hidden-nsg')],
};

let standIn: AzureStandIn;
let client: ResourceGraphClient;
let restoreEnv: () => void;

beforeAll(async () => {
  standIn = await startAzureStandIn({
    seed,
    managementGroups: { 'mg-drift': [SUB, OTHER, HIDDEN] },
    unreadableSubscriptions: [HIDDEN],
  });
  restoreEnv = applyEnv(standIn.env);
  client = new ResourceGraphClient(new DefaultAzureCredential(), { endpoint: standIn.endpoint });
});

afterAll(async () => {
  restoreEnv();
  await standIn.close();
});

afterEach(() => {
  // Every exchange, requests and answers, conforms to resourcegraph.json.
  const wrong = standIn.requests().filter((e) => e.fault === undefined && !e.answerValid);
  expect(wrong).toEqual([]);
});

const idsOf = (data: unknown): string[] => (data as { id: string }[]).map((row) => row.id);

describe('Resource Graph', () => {
  it('pages with $top and $skipToken until the last page, which has no token', async () => {
    const query =
      "resources | where type =~ 'Microsoft.Storage/storageAccounts' | order by name asc";
    const pages: { count: number; skipToken?: string; totalRecords: number }[] = [];
    const ids: string[] = [];
    let skipToken: string | undefined;
    do {
      const page = await client.resources({
        subscriptions: [SUB],
        query,
        options: { top: 4, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
      });
      pages.push({
        count: page.count,
        totalRecords: page.totalRecords,
        ...(page.skipToken ? { skipToken: page.skipToken } : {}),
      });
      ids.push(...idsOf(page.data));
      skipToken = page.skipToken;
    } while (skipToken !== undefined);
    const storage = sample.data.filter((r) => r['type'] === 'microsoft.storage/storageaccounts');
    expect(pages.map((p) => p.count)).toEqual([4, 4, 2]);
    expect(pages.every((p) => p.totalRecords === storage.length)).toBe(true);
    expect(pages.at(-1)!.skipToken).toBeUndefined();
    expect(ids).toEqual(
      storage
        .map((r) => r['id'] as string)
        .sort((a, b) => (a.split('/').at(-1)! < b.split('/').at(-1)! ? -1 : 1)),
    );
    expect(
      standIn
        .requests()
        .filter((e) => e.operation === 'Resources')
        .every((e) => e.requestValid),
    ).toBe(true);
  });

  it('keeps ARM-only child types out of every table, and role definitions in authorizationresources', async () => {
    const all = await client.resources({ subscriptions: [SUB], query: 'resources' });
    const types = new Set((all.data as { type: string }[]).map((r) => r.type));
    expect(types).not.toContain('microsoft.storage/storageaccounts/blobservices');
    expect(types).not.toContain('microsoft.storage/storageaccounts/blobservices/containers');
    expect(types).not.toContain('microsoft.sql/servers/firewallrules');
    expect(types).not.toContain('microsoft.authorization/roledefinitions');
    const roles = await client.resources({
      subscriptions: [SUB],
      query: "authorizationresources | where type =~ 'microsoft.authorization/roledefinitions'",
    });
    expect(roles.count).toBe(
      sample.data.filter((r) => r['type'] === 'microsoft.authorization/roledefinitions').length,
    );
  });

  it('answers resourcecontainers with one subscription row per known subscription', async () => {
    const answer = await client.resources({
      query: "resourcecontainers | where type =~ 'microsoft.resources/subscriptions'",
    });
    expect(
      (answer.data as { subscriptionId: string }[]).map((r) => r.subscriptionId).sort(),
    ).toEqual([SUB, OTHER].sort());
  });

  it('answers the table result format with columns and rows', async () => {
    const answer = await client.resources({
      subscriptions: [OTHER],
      query: 'resources',
      options: { resultFormat: 'table' },
    });
    const table = answer.data as { columns: { name: string; type: string }[]; rows: unknown[][] };
    expect(table.columns).toEqual(
      expect.arrayContaining([
        { name: 'id', type: 'string' },
        { name: 'properties', type: 'object' },
      ]),
    );
    expect(table.rows).toHaveLength(1);
  });

  it.each([
    ['an operator it does not serve', 'resources | project id'],
    ['a table it does not hold', 'securityresources'],
  ])('answers 400 InvalidQuery to %s', async (_, query) => {
    const error = await client.resources({ subscriptions: [SUB], query }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect(JSON.stringify((error as { details?: unknown }).details)).toContain('InvalidQuery');
  });

  describe('scopes', () => {
    it('answers 403 AuthorizationFailed when an unreadable subscription is named', async () => {
      const error = await client
        .resources({ subscriptions: [SUB, HIDDEN], query: 'resources' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    });

    it('leaves unreadable subscriptions out of a management group with allowPartialScopes', async () => {
      const answer = await client.resources({
        managementGroups: ['mg-drift'],
        query: "resources | where type =~ 'microsoft.network/networksecuritygroups'",
        options: { allowPartialScopes: true },
      });
      const subs = new Set(
        (answer.data as { subscriptionId: string }[]).map((r) => r.subscriptionId),
      );
      expect([...subs].sort()).toEqual([SUB, OTHER].sort());
    });

    it('fails the management-group query without allowPartialScopes', async () => {
      const error = await client
        .resources({ managementGroups: ['mg-drift'], query: 'resources' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    });
  });

  it('records a resourcechanges row when the admin API changes a resource', async () => {
    const account = sample.data.find((r) => r['name'] === 'ddstor001private')!;
    const changed = {
      ...account,
      properties: { ...(account['properties'] as object), allowBlobPublicAccess: true },
    };
    const rest = seed.data.filter((r) => r['id'] !== account['id']);
    standIn.replaceResources({ data: [...rest, changed] }, { changedBy: 'mallory@example.com' });
    const answer = await client.resources({
      subscriptions: [SUB],
      query: `resourcechanges | where properties.targetResourceId =~ '${String(account['id'])}' | order by properties.changeAttributes.timestamp desc | take 1`,
    });
    expect(answer.count).toBe(1);
    const [change] = answer.data as { type: string; properties: Record<string, unknown> }[];
    expect(change!.type).toBe('microsoft.resources/changes');
    expect(change!.properties).toMatchObject({
      targetResourceId: account['id'],
      targetResourceType: 'microsoft.storage/storageaccounts',
      changeType: 'Update',
      changeAttributes: {
        changedBy: 'mallory@example.com',
        clientType: 'Azure Portal',
        operation: 'Microsoft.Storage/storageAccounts/write',
        changesCount: 1,
        timestamp: expect.any(String),
        previousResourceSnapshotId: expect.any(String),
        newResourceSnapshotId: expect.any(String),
      },
      changes: {
        'properties.allowBlobPublicAccess': {
          previousValue: false,
          newValue: true,
          propertyChangeType: 'Update',
          changeCategory: 'User',
        },
      },
    });
  });
});

describe('Resource Graph quota', () => {
  let small: AzureStandIn;
  beforeAll(async () => {
    small = await startAzureStandIn({ seed, quota: { requests: 2, windowMs: 1500 } });
  });
  afterAll(() => small.close());

  it('reports the quota on every answer and answers 429 with Retry-After once it is spent', async () => {
    const token = await new DefaultAzureCredential().getToken(
      'https://management.azure.com/.default',
    );
    const ask = () =>
      fetch(
        `${small.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ subscriptions: [SUB], query: 'resources | take 1' }),
        },
      );
    const answers = [await ask(), await ask(), await ask()];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers.map((a) => a.headers.get('x-ms-user-quota-remaining'))).toEqual(['1', '0', '0']);
    for (const answer of answers)
      expect(answer.headers.get('x-ms-user-quota-resets-after')).toMatch(/^00:00:0[0-2]$/);
    expect(Number(answers[2]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(small.requests().every((e) => e.answerValid)).toBe(true);
  });

  it('is honoured by the SDK, which waits and succeeds', async () => {
    const sdk = new ResourceGraphClient(new DefaultAzureCredential(), { endpoint: small.endpoint });
    for (let i = 0; i < 3; i += 1) {
      const page = await sdk.resources({ subscriptions: [SUB], query: 'resources | take 1' });
      expect(page.count).toBe(1);
    }
    expect(small.requests().some((e) => e.status === 429)).toBe(true);
  });
});
