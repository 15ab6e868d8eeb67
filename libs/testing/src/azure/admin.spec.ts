// The stand-in's own HTTP API: what another process (or a person) uses to set
// it up and to look at what it saw.
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from './journal.js';
import { applyEnv } from './process-env.js';
import { startAzureStandIn, type AzureStandIn } from './stand-in.js';

const SUB = '00000000-1111-2222-3333-444444444444';
const account = (name: string, allowBlobPublicAccess: boolean) => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`,
  name,
  type: 'microsoft.storage/storageaccounts',
  subscriptionId: SUB,
  resourceGroup: 'rg',
  properties: { allowBlobPublicAccess },
});

let standIn: AzureStandIn;
let graph: ResourceGraphClient;
let restoreEnv: () => void;

beforeAll(async () => {
  standIn = await startAzureStandIn({ seed: [account('one', false)] });
  restoreEnv = applyEnv(standIn.env);
  graph = new ResourceGraphClient(new DefaultAzureCredential(), { endpoint: standIn.endpoint });
});

afterAll(async () => {
  restoreEnv();
  await standIn.close();
});

const admin = async (
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const answer = await fetch(`${standIn.endpoint}/_standin/${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: answer.status, body: (await answer.json()) as unknown };
};

const names = async (query = 'resources | order by name asc') =>
  ((await graph.resources({ subscriptions: [SUB], query })).data as { name: string }[]).map(
    (r) => r.name,
  );

describe('the admin API', () => {
  it('PUT /_standin/resources replaces everything with an `az graph query` answer', async () => {
    // az prints snake_case paging fields: https://learn.microsoft.com/cli/azure/graph#az-graph-query
    const printed = {
      count: 2,
      data: [account('one', true), account('two', false)],
      skip_token: null,
      total_records: 2,
    };
    const answer = await admin('PUT', 'resources', printed, {
      'X-Standin-Changed-By': 'ops@example.com',
      'X-Standin-Client-Type': 'Azure CLI',
    });
    expect(answer).toEqual({ status: 200, body: { resources: 2, changes: 2 } });
    expect(await names()).toEqual(['one', 'two']);
    const changes = (
      await graph.resources({
        subscriptions: [SUB],
        query: 'resourcechanges | order by properties.changeType asc',
      })
    ).data as { properties: { changeType: string; changeAttributes: Record<string, unknown> } }[];
    expect(changes.map((c) => c.properties.changeType)).toEqual(['Create', 'Update']);
    expect(changes[1]!.properties.changeAttributes).toMatchObject({
      changedBy: 'ops@example.com',
      clientType: 'Azure CLI',
    });
  });

  it('PATCH creates or replaces one resource, DELETE removes one', async () => {
    expect((await admin('PATCH', 'resources', account('three', true))).status).toBe(200);
    const id = encodeURIComponent(account('two', false).id);
    expect((await admin('DELETE', `resources?id=${id}`)).status).toBe(200);
    expect(await names()).toEqual(['one', 'three']);
    expect((await admin('DELETE', `resources?id=${id}`)).status).toBe(404);
    const kinds = (
      await graph.resources({
        subscriptions: [SUB],
        query: "resourcechanges | where properties.changeType == 'Delete'",
      })
    ).count;
    expect(kinds).toBe(1);
  });

  it('refuses a seed that is not a Resource Graph answer, saying why', async () => {
    expect(await admin('PUT', 'resources', { rows: [] })).toEqual({
      status: 400,
      body: { error: 'the answer has no "data"' },
    });
    expect(await admin('PUT', 'resources', '{not json')).toMatchObject({ status: 400 });
    expect(await admin('PUT', 'resources', { data: [{ name: 'x' }] })).toEqual({
      status: 400,
      body: { error: 'row 0 has no resource id ("id" starting with "/")' },
    });
  });

  it('GET /_standin/requests is the journal: method, path, api-version, status and validity', async () => {
    const { body } = await admin('GET', 'requests');
    const journal = body as JournalEntry[];
    expect(journal.length).toBeGreaterThan(0);
    expect(journal.find((e) => e.operation === 'Resources')).toMatchObject({
      method: 'POST',
      path: '/providers/Microsoft.ResourceGraph/resources',
      apiVersion: '2024-04-01',
      status: 200,
      requestValid: true,
      answerValid: true,
      requestProblems: [],
      answerProblems: [],
      contract: expect.stringContaining('resourcegraph.json#Resources'),
    });
    expect(journal.some((e) => e.path.startsWith('/_standin'))).toBe(false);
  });

  it('GET /_standin/assessments, /metadata and /writes show the Security state', async () => {
    expect(await admin('GET', 'assessments')).toEqual({ status: 200, body: [] });
    expect(await admin('GET', 'metadata')).toEqual({ status: 200, body: [] });
    expect(await admin('GET', 'writes')).toEqual({ status: 200, body: { writes: 0 } });
  });

  it('answers 404 for what it does not have', async () => {
    expect((await admin('GET', 'nothing')).status).toBe(404);
  });
});
