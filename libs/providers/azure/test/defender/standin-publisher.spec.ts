// The Defender for Cloud publisher against the Azure stand-in: real
// SecurityCenter clients, managed-identity tokens, contract-checked exchanges.
import { DefaultAzureCredential } from '@azure/identity';
import {
  applyEnv,
  azureFaults,
  startAzureStandIn,
  type AzureStandIn,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../src/arm/clients.js';
import { assessmentName } from '../../src/defender/assessment-name.js';
import { DefenderPublishError } from '../../src/defender/errors.js';
import { DefenderPublisher } from '../../src/defender/publisher.js';
import { finding } from './findings.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const HIDDEN = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

let standIn: AzureStandIn;
let publisher: DefenderPublisher;
let restoreEnv: () => void;

beforeAll(async () => {
  standIn = await startAzureStandIn({ unreadableSubscriptions: [HIDDEN] });
  restoreEnv = applyEnv(standIn.env);
  const clients = createAzureClients({
    credential: new DefaultAzureCredential(),
    endpoint: standIn.endpoint,
    audience: 'https://management.azure.com',
    retry: { maxRetries: 3, baseMs: 10, capMs: 1_500 },
  });
  publisher = new DefenderPublisher({ clients });
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

const statusOf = (resourceId: string) =>
  standIn
    .assessments()
    .find(
      (a) =>
        a.id.toLowerCase() ===
        `${resourceId}/providers/Microsoft.Security/assessments/${assessmentName('DD-STORAGE-001')}`.toLowerCase(),
    )?.properties.status;

describe('DefenderPublisher against the stand-in', () => {
  it('creates the metadata once and follows the finding through its lifecycle', async () => {
    const open = finding();
    await publisher.publish([
      open,
      finding({ id: 'f2', resourceId: open.resourceId.replace('acct', 'acct2') }),
    ]);
    expect(standIn.metadata()).toHaveLength(1);
    expect(statusOf(open.resourceId)).toMatchObject({ code: 'Unhealthy', cause: 'DD-STORAGE-001' });

    await publisher.publish([finding({ status: 'RESOLVED', resolution: 'compliant' })]);
    expect(statusOf(open.resourceId)?.code).toBe('Healthy');
    const waiver = { rule: 'DD-STORAGE-001', reason: 'r', owner: 'o', expires: '2099-01-01' };
    await publisher.publish([finding({ status: 'SUPPRESSED', waiver })]);
    expect(statusOf(open.resourceId)).toMatchObject({ code: 'NotApplicable', cause: 'Exempt' });
    await publisher.publish([finding({ pendingTransition: 'reopened' })]);
    expect(statusOf(open.resourceId)?.code).toBe('Unhealthy');

    await publisher.publish([finding({ status: 'RESOLVED', resolution: 'deleted' })]);
    expect(statusOf(open.resourceId)).toBeUndefined();
    await publisher.publish([finding({ status: 'RESOLVED', resolution: 'deleted' })]);
    expect(standIn.metadata()).toHaveLength(1);
  });

  it('rides out throttling and server errors', async () => {
    let puts = 0;
    standIn.setFaults((request) => {
      if (request.operation !== 'Assessments_CreateOrUpdate') return null;
      puts += 1;
      return puts === 1
        ? azureFaults.throttle(1)
        : puts === 2
          ? azureFaults.serverError(503)
          : null;
    });
    await publisher.publish([
      finding({ id: 'f3', resourceId: finding().resourceId.replace('acct', 'acct3') }),
    ]);
    expect(statusOf(finding().resourceId.replace('acct', 'acct3'))?.code).toBe('Unhealthy');
    expect(puts).toBe(3);
  });

  it('keeps a finding of a subscription it may not write pending for good, and publishes the rest', async () => {
    const hidden = finding({
      id: 'hidden',
      account: HIDDEN,
      resourceId: finding().resourceId.replace(SUB, HIDDEN),
    });
    const error = await publisher.publish([hidden, finding()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefenderPublishError);
    expect((error as DefenderPublishError).rejected).toEqual([
      expect.objectContaining({ id: 'hidden', permanent: true }),
    ]);
    expect(statusOf(finding().resourceId)?.code).toBe('Unhealthy');
  });
});
