// ARM GET by id and child collections, as ARM answers them rather than as
// Resource Graph rows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from './process-env.js';
import { startAzureStandIn, type AzureStandIn } from './stand-in.js';

const sample = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../../../samples/azure/resource-graph-answer.json'),
    'utf8',
  ),
) as { data: Record<string, unknown>[] };
const SUB = '00000000-1111-2222-3333-444444444444';
const HIDDEN = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-drift/providers`;

let standIn: AzureStandIn;
let restoreEnv: () => void;
let authorization: string;

beforeAll(async () => {
  standIn = await startAzureStandIn({ seed: sample, unreadableSubscriptions: [HIDDEN] });
  restoreEnv = applyEnv(standIn.env);
  authorization = `Bearer ${(await new DefaultAzureCredential().getToken('https://management.azure.com/.default')).token}`;
});

afterAll(async () => {
  restoreEnv();
  await standIn.close();
});

const get = async (id: string, apiVersion: string | null = '2023-05-01') => {
  const answer = await fetch(
    `${standIn.endpoint}${id}${apiVersion === null ? '' : `?api-version=${apiVersion}`}`,
    {
      headers: { authorization },
    },
  );
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};

describe('ARM GET', () => {
  it('answers a resource with its canonical-case type and without Resource Graph fields', async () => {
    const { status, body } = await get(`${RG}/Microsoft.Storage/storageAccounts/ddstor002public`);
    expect(status).toBe(200);
    expect(body['type']).toBe('Microsoft.Storage/storageAccounts');
    for (const field of [
      'subscriptionId',
      'resourceGroup',
      'tenantId',
      'managedBy',
      'plan',
      'identity',
      'zones',
      'extendedLocation',
    ]) {
      expect(body).not.toHaveProperty(field);
    }
    expect(body).toMatchObject({
      name: 'ddstor002public',
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
    });
  });

  it('finds a resource whatever the case of its id', async () => {
    const { status, body } = await get(`${RG}/microsoft.sql/SERVERS/ddsql001-open`);
    expect(status).toBe(200);
    expect(body['type']).toBe('Microsoft.Sql/servers');
  });

  it.each([
    [
      `${RG}/Microsoft.Storage/storageAccounts/ddstor005versioned/blobServices`,
      'Microsoft.Storage/storageAccounts/blobServices',
      1,
    ],
    [
      `${RG}/Microsoft.Storage/storageAccounts/ddstor002public/blobServices/default/containers`,
      'Microsoft.Storage/storageAccounts/blobServices/containers',
      1,
    ],
    [
      `${RG}/Microsoft.Sql/servers/ddsql001-open/firewallRules`,
      'Microsoft.Sql/servers/firewallRules',
      1,
    ],
    [
      `${RG}/Microsoft.Storage/storageAccounts/ddstor001private/blobServices/default/containers`,
      undefined,
      0,
    ],
  ])('lists the child collection %s', async (collection, type, count) => {
    const { status, body } = await get(collection);
    expect(status).toBe(200);
    const value = body['value'] as { type: string }[];
    expect(value).toHaveLength(count);
    if (type !== undefined) expect(value[0]!.type).toBe(type);
  });

  it('answers 404 ResourceNotFound for what it does not hold', async () => {
    expect(await get(`${RG}/Microsoft.Storage/storageAccounts/nothere`)).toEqual({
      status: 404,
      body: { error: { code: 'ResourceNotFound', message: expect.any(String) } },
    });
    expect((await get(`${RG}/Microsoft.Storage/storageAccounts/nothere/blobServices`)).status).toBe(
      404,
    );
  });

  it('answers 400 without an api-version, and 403 in an unreadable subscription', async () => {
    expect((await get(`${RG}/Microsoft.Sql/servers/ddsql001-open`, null)).body).toMatchObject({
      error: { code: 'MissingApiVersionParameter' },
    });
    expect(
      (await get(`/subscriptions/${HIDDEN}/resourceGroups/rg/providers/Microsoft.Sql/servers/x`))
        .body,
    ).toMatchObject({
      error: { code: 'AuthorizationFailed' },
    });
  });

  it('flags its own answer when what it holds is not a valid ARM resource', async () => {
    const nameless = {
      id: `${RG}/Microsoft.Web/sites/nameless`,
      type: 'microsoft.web/sites',
      subscriptionId: SUB,
    };
    await fetch(`${standIn.endpoint}/_standin/resources`, {
      method: 'PATCH',
      body: JSON.stringify(nameless),
    });
    await get(nameless.id);
    expect(standIn.requests().at(-1)).toMatchObject({
      status: 200,
      answerValid: false,
      answerProblems: [expect.stringContaining("must have required property 'name'")],
    });
    await fetch(`${standIn.endpoint}/_standin/resources?id=${encodeURIComponent(nameless.id)}`, {
      method: 'DELETE',
    });
  });

  it('checks every answer against ARM common Resource shape', () => {
    const entries = standIn.requests().filter((e) => e.operation.startsWith('Resource'));
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.every((e) => e.contract.includes('v5/types.json#/definitions/Resource'))).toBe(
      true,
    );
    // Only the nameless resource planted above failed its check.
    expect(entries.filter((e) => !e.answerValid).map((e) => e.path)).toEqual([
      `${RG}/Microsoft.Web/sites/nameless`,
    ]);
  });
});
