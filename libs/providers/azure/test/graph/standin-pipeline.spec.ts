// Sweep mode end to end against the Azure stand-in: Resource Graph pages →
// azure inventory → the built policy bundle → the findings state → Defender
// for Cloud assessments; then a second sweep after one resource is fixed and
// another deleted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { SqliteStateStore } from '@drift-detective/findings';
import { runSweep, type PipelineDeps, type SweepReaderFactory } from '@drift-detective/pipeline';
import {
  applyEnv,
  builtPolicyEngine,
  startAzureStandIn,
  type AzureStandIn,
} from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../src/arm/clients.js';
import { assessmentName } from '../../src/defender/assessment-name.js';
import { DefenderPublisher } from '../../src/defender/publisher.js';
import { resourceGraphSweep } from '../../src/graph/sweep-reader.js';
import { sweepScopeOf } from '../../src/graph/sweep-scope.js';
import { azureInventory } from '../../src/index.js';

const sample = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../../../../samples/azure/resource-graph-answer.json'),
    'utf8',
  ),
) as { data: Record<string, unknown>[] };
const SUB = '00000000-1111-2222-3333-444444444444';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-drift`;
const OPEN_SSH = `${RG}/providers/Microsoft.Network/networkSecurityGroups/ddnet001-open-ssh`;
const PUBLIC_ACCOUNT = `${RG}/providers/Microsoft.Storage/storageAccounts/ddstor001public`;

let standIn: AzureStandIn;
let restoreEnv: () => void;
let dir: string;
let deps: PipelineDeps;
let store: SqliteStateStore;
let reader: SweepReaderFactory;

beforeAll(async () => {
  standIn = await startAzureStandIn({ seed: sample });
  restoreEnv = applyEnv(standIn.env);
  dir = mkdtempSync(path.join(tmpdir(), 'azure-sweep-'));
  store = new SqliteStateStore(path.join(dir, 'state.db'));
  const clients = createAzureClients({
    credential: new DefaultAzureCredential(),
    endpoint: standIn.endpoint,
    audience: 'https://management.azure.com',
    retry: { maxRetries: 3, baseMs: 10, capMs: 6_000 },
  });
  deps = {
    inventory: azureInventory,
    engine: await builtPolicyEngine(),
    store,
    publisher: new DefenderPublisher({ clients }),
  };
  reader = resourceGraphSweep({ clients, subscription: SUB, pageSize: 5 });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  restoreEnv();
  await standIn.close();
});

const assessmentOf = (resourceId: string, ruleId: string) =>
  standIn
    .assessments()
    .find(
      (a) =>
        a.id.toLowerCase() ===
        `${resourceId}/providers/Microsoft.Security/assessments/${assessmentName(ruleId)}`.toLowerCase(),
    );

describe('sweep mode against the stand-in', () => {
  it('publishes a violation per rule and resource, then follows fixes and deletions', async () => {
    const scope = sweepScopeOf(SUB);
    const first = await runSweep(reader, deps, { sweepId: 'azure-1', scope });
    expect(first).toMatchObject({ completed: true, skipped: 0 });
    expect(assessmentOf(OPEN_SSH, 'DD-NET-001')?.properties.status.code).toBe('Unhealthy');
    expect(assessmentOf(PUBLIC_ACCOUNT, 'DD-STORAGE-001')?.properties.status.code).toBe(
      'Unhealthy',
    );
    expect(
      assessmentOf(`${RG}/providers/Microsoft.Sql/servers/ddsql001-open`, 'DD-DB-001')?.properties
        .status.code,
    ).toBe('Unhealthy');
    const rules = new Set((await store.list('ACTIVE')).map((f) => f.ruleId));
    expect(standIn.metadata()).toHaveLength(rules.size);

    const fixed = sample.data
      .filter((row) => row['id'] !== OPEN_SSH)
      .map((row) =>
        row['id'] === PUBLIC_ACCOUNT
          ? {
              ...row,
              properties: { ...(row['properties'] as object), allowBlobPublicAccess: false },
            }
          : row,
      );
    standIn.replaceResources({ data: fixed }, { changedBy: 'fixer@contoso.com' });
    const second = await runSweep(reader, deps, { sweepId: 'azure-2', scope });
    expect(second).toMatchObject({
      completed: true,
      skipped: 0,
      resolvedDeleted: expect.any(Number) as unknown,
    });
    expect(second.resolvedDeleted).toBeGreaterThan(0);
    // Deleted: the assessment goes with the resource. Fixed: Healthy.
    expect(assessmentOf(OPEN_SSH, 'DD-NET-001')).toBeUndefined();
    expect(assessmentOf(PUBLIC_ACCOUNT, 'DD-STORAGE-001')?.properties.status.code).toBe('Healthy');
    const resolved = await store.findingsOf({
      provider: 'azure',
      account: SUB,
      resourceId: PUBLIC_ACCOUNT,
    });
    expect(resolved.find((f) => f.ruleId === 'DD-STORAGE-001')?.status).toBe('RESOLVED');
    expect(await store.unpublished()).toEqual([]);
  });
});
