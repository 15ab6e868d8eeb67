// Injected faults, seen through the real SDK clients and their retry policies.
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { SecurityCenter } from '@azure/arm-security';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  azureFaults,
  faultPlanFromRules,
  FaultRuleError,
  noAzureFaults,
  type AzureFaultPlan,
} from './faults.js';
import { applyEnv } from './process-env.js';
import { startAzureStandIn, type AzureStandIn } from './stand-in.js';

const SUB = '00000000-1111-2222-3333-444444444444';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct`;
const RULE = '3f9b4a4e-6c1d-5e2f-8a3b-0c1d2e3f4a5b';
const seed = [
  { id: ACCOUNT, name: 'acct', type: 'microsoft.storage/storageaccounts', subscriptionId: SUB },
];

let standIn: AzureStandIn;
let graph: ResourceGraphClient;
let security: SecurityCenter;
let restoreEnv: () => void;

beforeAll(async () => {
  standIn = await startAzureStandIn({ seed });
  restoreEnv = applyEnv(standIn.env);
  const credential = new DefaultAzureCredential();
  graph = new ResourceGraphClient(credential, { endpoint: standIn.endpoint });
  security = new SecurityCenter(credential, SUB, {
    endpoint: standIn.endpoint,
    $host: standIn.endpoint,
  });
  await security.assessmentsMetadata.createInSubscription(RULE, {
    displayName: 'r',
    severity: 'Low',
    assessmentType: 'CustomerManaged',
  });
});

afterAll(async () => {
  restoreEnv();
  await standIn.close();
});

beforeEach(() => standIn.setFaults(noAzureFaults));

const query = () => graph.resources({ subscriptions: [SUB], query: 'resources' });
const since = (start: number) => standIn.requests().slice(start);

/** The first `n` requests of an operation get `fault` (index counts from the stand-in's start). */
function firstOf(
  operation: string,
  n: number,
  fault: ReturnType<typeof azureFaults.drop>,
): AzureFaultPlan {
  let seen = 0;
  return (request) => (request.operation === operation && seen++ < n ? fault : null);
}

describe('faults from a plan function', () => {
  it('throttle: 429 + Retry-After, which the SDK waits out', async () => {
    const start = standIn.requests().length;
    standIn.setFaults(firstOf('Resources', 2, azureFaults.throttle(1)));
    expect((await query()).count).toBe(1);
    expect(since(start).map((e) => [e.status, e.fault])).toEqual([
      [429, 'throttle'],
      [429, 'throttle'],
      [200, undefined],
    ]);
    expect(since(start).every((e) => e.answerValid)).toBe(true);
  });

  it('serverError: 503 in the operation error shape, retried by the SDK', async () => {
    const start = standIn.requests().length;
    standIn.setFaults(
      firstOf('AssessmentsMetadata_GetInSubscription', 1, azureFaults.serverError(503)),
    );
    expect((await security.assessmentsMetadata.getInSubscription(RULE)).name).toBe(RULE);
    expect(since(start).map((e) => e.status)).toEqual([503, 200]);
    expect(since(start).every((e) => e.answerValid)).toBe(true);
  });

  it('drop: the connection closes unanswered, and the SDK tries again', async () => {
    const start = standIn.requests().length;
    standIn.setFaults(firstOf('Resources', 1, azureFaults.drop()));
    expect((await query()).count).toBe(1);
    expect(since(start).map((e) => [e.status, e.fault])).toEqual([
      [0, 'drop'],
      [200, undefined],
    ]);
  });

  it('delay: the answer comes late', async () => {
    standIn.setFaults(firstOf('Resources', 1, azureFaults.delay(400)));
    const started = Date.now();
    await query();
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('garbage: a body that is not JSON fails the call', async () => {
    standIn.setFaults(firstOf('AssessmentsMetadata_GetInSubscription', 1, azureFaults.garbage()));
    await expect(security.assessmentsMetadata.getInSubscription(RULE)).rejects.toThrow();
    expect(standIn.requests().at(-1)).toMatchObject({ fault: 'garbage', answerValid: false });
  });
});

describe('faults from declarative rules (PUT /_standin/faults)', () => {
  const putFaults = (rules: unknown) =>
    fetch(`${standIn.endpoint}/_standin/faults`, { method: 'PUT', body: JSON.stringify(rules) });

  it('throttles the 2nd and 3rd matching request, the SDK retrying through', async () => {
    const rules = [
      {
        match: { path: 'Microsoft.Security/assessments', method: 'PUT' },
        fault: 'throttle',
        from: 1,
        count: 2,
      },
    ];
    expect((await putFaults(rules)).status).toBe(200);
    const start = standIn.requests().length;
    const body = { resourceDetails: { source: 'Azure' as const }, status: { code: 'Healthy' } };
    await security.assessments.createOrUpdate(ACCOUNT, RULE, body);
    await security.assessments.createOrUpdate(ACCOUNT, RULE, body);
    const puts = since(start).filter((e) => e.operation === 'Assessments_CreateOrUpdate');
    expect(puts.map((e) => e.status)).toEqual([201, 429, 429, 200]);
  });

  it('refuses a malformed plan with 400', async () => {
    const answer = await putFaults([{ fault: 'meteor' }]);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: expect.stringContaining('fault must be') });
  });

  it('match on operation and method, counting per rule', () => {
    const plan = faultPlanFromRules([
      { match: { operation: 'Resources' }, fault: 'serverError', status: 500, count: 1 },
    ]);
    const ask = (operation: string) => plan({ operation, method: 'POST', path: '/x', index: 0 });
    expect([ask('Other'), ask('Resources'), ask('Resources')]).toEqual([
      null,
      { kind: 'serverError', status: 500 },
      null,
    ]);
    expect(() => faultPlanFromRules({})).toThrow(FaultRuleError);
    expect(() => faultPlanFromRules([{ fault: 'delay' }])).toThrow('delay needs ms');
  });
});
