// The sweep reader, the ARM reads and the clients' pipeline against the Azure
// stand-in (libs/testing/src/azure): real SDK clients, HTTPS, managed-identity
// tokens, every exchange checked against Microsoft's contracts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import type { SweepPage } from '@drift-detective/pipeline';
import {
  applyEnv,
  azureFaults,
  startAzureStandIn,
  type AzureStandIn,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients, type AzureClients } from '../../src/arm/clients.js';
import { readResourceForJudgement } from '../../src/arm/read-resource.js';
import { managementGroupSubscriptions } from '../../src/graph/management-group.js';
import { resourceGraphSweep } from '../../src/graph/sweep-reader.js';
import { scan } from '../helpers.js';

const sample = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../../../../samples/azure/resource-graph-answer.json'),
    'utf8',
  ),
) as { data: Record<string, unknown>[] };
const SUB = '00000000-1111-2222-3333-444444444444';
const HIDDEN = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-drift`;
const PUBLIC_ACCOUNT = `${RG}/providers/Microsoft.Storage/storageAccounts/ddstor002public`;

let standIn: AzureStandIn;
let clients: AzureClients;
let restoreEnv: () => void;

function clientsFor(standIn: AzureStandIn, requestTimeoutMs = 2_000): AzureClients {
  return createAzureClients({
    credential: new DefaultAzureCredential(),
    endpoint: standIn.endpoint,
    // The stand-in plays the public cloud at another address: it checks for the public audience.
    audience: 'https://management.azure.com',
    // A cap above the stand-in's 5 s quota window, so a quota wait is never cut short.
    retry: { maxRetries: 3, baseMs: 10, capMs: 6_000 },
    timeouts: { connectTimeoutMs: 2_000, requestTimeoutMs },
  });
}

beforeAll(async () => {
  standIn = await startAzureStandIn({
    seed: sample,
    managementGroups: { 'mg-drift': [SUB, HIDDEN] },
    unreadableSubscriptions: [HIDDEN],
  });
  restoreEnv = applyEnv(standIn.env);
  clients = clientsFor(standIn);
});

afterAll(async () => {
  restoreEnv();
  await standIn.close();
});

afterEach(() => {
  standIn.setFaults(() => null);
  const wrong = standIn
    .requests()
    .filter((e) => e.fault === undefined && (!e.answerValid || !e.requestValid));
  expect(wrong).toEqual([]);
});

async function pagesOf(reader: AsyncIterable<SweepPage>): Promise<SweepPage[]> {
  const pages: SweepPage[] = [];
  for await (const page of reader) pages.push(page);
  return pages;
}

const judge = (pages: SweepPage[]) =>
  pages.flatMap((page) => page.documents.map((body) => scan([{ body, source: page.cursor }])));

describe('resourceGraphSweep against the stand-in', () => {
  it('reads the whole subscription, containers and firewall rules included', async () => {
    const pages = await pagesOf(
      resourceGraphSweep({ clients, subscription: SUB, pageSize: 4 })(null),
    );
    const results = judge(pages);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const resources = results.flatMap((r) => r.resources);
    const byKind = (kind: string) =>
      resources
        .filter((r) => r.kind === kind)
        .map((r) => r.name)
        .sort();
    expect(byKind('storage.bucket')).toContain('website');
    expect(byKind('storage.bucket').filter((n) => n.startsWith('ddstor'))).toHaveLength(10);
    expect(byKind('database.instance')).toEqual([
      'ddsql001-azure',
      'ddsql001-open',
      'ddsql001-private',
    ]);
    expect(byKind('network.firewall')).toHaveLength(5);
    expect(byKind('iam.policy').length).toBeGreaterThanOrEqual(2);
    const open = resources.find((r) => r.name === 'ddsql001-open');
    expect(open?.properties).toMatchObject({ allowedNetworks: [{ name: 'AllowAll' }] });
    const website = resources.find((r) => r.id.startsWith(PUBLIC_ACCOUNT) && r.name === 'website');
    expect(website?.properties).toMatchObject({
      containerPublicAccess: expect.any(String) as unknown,
    });
  });

  it('attributes a changed resource to who changed it', async () => {
    const changed = sample.data.map((row) =>
      row['id'] === PUBLIC_ACCOUNT
        ? { ...row, properties: { ...(row['properties'] as object), minimumTlsVersion: 'TLS1_0' } }
        : row,
    );
    standIn.replaceResources(
      { data: changed },
      { changedBy: 'alice@contoso.com', clientType: 'Azure CLI' },
    );
    try {
      const pages = await pagesOf(
        resourceGraphSweep({
          clients,
          subscription: SUB,
          types: ['Microsoft.Storage/storageAccounts'],
        })(null),
      );
      const account = judge(pages)
        .flatMap((r) => r.resources)
        .find((r) => r.id === PUBLIC_ACCOUNT);
      expect(account?.change?.changedBy).toMatch(/^alice@contoso\.com \(Azure CLI/);
      expect(account?.change?.fields).toContainEqual(
        expect.objectContaining({ path: 'properties.minimumTlsVersion', after: 'TLS1_0' }),
      );
    } finally {
      standIn.replaceResources(sample);
    }
  });

  it('gets through throttling, a server error and a dropped connection', async () => {
    // Counted from now: the stand-in's own index counts every request since it started.
    const seen = new Map<string, number>();
    standIn.setFaults((request) => {
      const nth = seen.get(request.operation) ?? 0;
      seen.set(request.operation, nth + 1);
      if (request.operation === 'Resources' && nth === 0) return azureFaults.throttle(1);
      if (request.operation === 'ResourceList' && nth === 1) return azureFaults.serverError(503);
      if (request.operation === 'ResourceList' && nth === 3) return azureFaults.drop();
      return null;
    });
    const before = standIn.requests().filter((e) => e.fault !== undefined).length;
    const pages = await pagesOf(
      resourceGraphSweep({
        clients,
        subscription: SUB,
        types: ['Microsoft.Storage/storageAccounts'],
      })(null),
    );
    expect(judge(pages).flatMap((r) => r.errors)).toEqual([]);
    expect(standIn.requests().filter((e) => e.fault !== undefined).length - before).toBe(3);
  });

  it('times out a hung answer instead of hanging the sweep', async () => {
    standIn.setFaults((request) =>
      request.operation === 'Resources' ? azureFaults.delay(10_000) : null,
    );
    const impatient = clientsFor(standIn, 300);
    const started = Date.now();
    const failing = pagesOf(resourceGraphSweep({ clients: impatient, subscription: SUB })(null));
    await expect(failing).rejects.toThrow(
      /Resource Graph query \(resources\) got no answer in time/,
    );
    // Four attempts of 300 ms and the backoff between them, not the 10 s the answer takes.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails on a subscription it may not read, with one line naming it', async () => {
    const failing = pagesOf(resourceGraphSweep({ clients, subscription: HIDDEN })(null));
    await expect(failing).rejects.toThrow(/^Resource Graph query \(resources\) failed: HTTP 403/);
  });
});

describe('reads by id against the stand-in', () => {
  it('reads a container event as its account, with its children', async () => {
    const read = await readResourceForJudgement(
      clients,
      `${PUBLIC_ACCOUNT}/blobServices/default/containers/website`,
    );
    expect(read).toMatchObject({ status: 'found', judgedId: PUBLIC_ACCOUNT });
    if (read.status !== 'found') return;
    const names = scan([{ body: read.document, source: 'event' }]).resources.map((r) => r.name);
    expect(names.sort()).toEqual(['ddstor002public', 'website']);
  });

  it('answers gone for a resource that does not exist', async () => {
    await expect(
      readResourceForJudgement(clients, `${RG}/providers/Microsoft.Sql/servers/nope`),
    ).resolves.toEqual({
      status: 'gone',
      judgedId: `${RG}/providers/Microsoft.Sql/servers/nope`,
      judgedIsRequested: true,
    });
  });

  it('lists the readable subscriptions of a management group', async () => {
    const listed = await managementGroupSubscriptions({ clients, managementGroup: 'mg-drift' });
    expect(listed.map((s) => s.subscriptionId)).toEqual([SUB]);
  });
});
