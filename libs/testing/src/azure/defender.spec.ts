// Defender for Cloud custom assessments through the real SecurityCenter client.
import { DefaultAzureCredential } from '@azure/identity';
import { SecurityCenter } from '@azure/arm-security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from './process-env.js';
import { startAzureStandIn, type AzureStandIn } from './stand-in.js';

const SUB = '00000000-1111-2222-3333-444444444444';
const HIDDEN = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-drift/providers/Microsoft.Storage/storageAccounts/ddstor001public`;
const RULE = '3f9b4a4e-6c1d-5e2f-8a3b-0c1d2e3f4a5b';

let standIn: AzureStandIn;
let security: SecurityCenter;
let restoreEnv: () => void;

beforeAll(async () => {
  standIn = await startAzureStandIn({ unreadableSubscriptions: [HIDDEN] });
  restoreEnv = applyEnv(standIn.env);
  // SecurityCenter builds its URLs from $host; endpoint sets the pipeline's base.
  security = new SecurityCenter(new DefaultAzureCredential(), SUB, {
    endpoint: standIn.endpoint,
    $host: standIn.endpoint,
  });
});

afterAll(async () => {
  restoreEnv();
  await standIn.close();
});

describe('Defender for Cloud assessments', () => {
  it('makes no write before anyone writes', () => {
    expect(standIn.writes()).toBe(0);
  });

  it('refuses an assessment whose metadata does not exist in the subscription', async () => {
    const error = await security.assessments
      .createOrUpdate(ACCOUNT, RULE, {
        resourceDetails: { source: 'Azure' },
        status: { code: 'Unhealthy' },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect(standIn.assessments()).toEqual([]);
  });

  it('creates, reads and lists assessment metadata in the subscription', async () => {
    const created = await security.assessmentsMetadata.createInSubscription(RULE, {
      displayName: 'DD-STORAGE-001 public-access guardrail off',
      description: 'The storage account allows anonymous blob access.',
      remediationDescription: 'Set allowBlobPublicAccess to false.',
      severity: 'High',
      assessmentType: 'CustomerManaged',
      categories: ['Data'],
    });
    expect(created).toMatchObject({
      id: `/subscriptions/${SUB}/providers/Microsoft.Security/assessmentMetadata/${RULE}`,
      name: RULE,
      type: 'Microsoft.Security/assessmentMetadata',
      displayName: 'DD-STORAGE-001 public-access guardrail off',
      publishDates: { public: expect.stringMatching(/^\d\d\/\d\d\/\d{4}$/) },
    });
    expect(await security.assessmentsMetadata.getInSubscription(RULE)).toMatchObject({
      severity: 'High',
    });
    const listed = [];
    for await (const m of security.assessmentsMetadata.listBySubscription()) listed.push(m.name);
    expect(listed).toEqual([RULE]);
  });

  it('creates an assessment (201), updates it (200), and reads and lists it', async () => {
    const body = {
      resourceDetails: { source: 'Azure' as const },
      status: {
        code: 'Unhealthy',
        cause: 'DD-STORAGE-001',
        description: 'allowBlobPublicAccess is true',
      },
      additionalData: { ruleId: 'DD-STORAGE-001', findingId: '0123456789abcdef0123456789abcdef' },
    };
    const created = await security.assessments.createOrUpdate(ACCOUNT, RULE, body);
    expect(created).toMatchObject({
      id: `${ACCOUNT}/providers/Microsoft.Security/assessments/${RULE}`,
      name: RULE,
      type: 'Microsoft.Security/assessments',
      displayName: 'DD-STORAGE-001 public-access guardrail off',
      resourceDetails: { source: 'Azure', id: ACCOUNT },
      status: { code: 'Unhealthy', cause: 'DD-STORAGE-001' },
      additionalData: body.additionalData,
    });
    await security.assessments.createOrUpdate(ACCOUNT, RULE, {
      ...body,
      status: { code: 'Healthy' },
    });
    const read = await security.assessments.get(ACCOUNT, RULE, { expand: 'links' });
    expect(read.status?.code).toBe('Healthy');
    expect(read.links?.azurePortalUri).toContain(RULE);
    const listed = [];
    for await (const a of security.assessments.list(`subscriptions/${SUB}`)) listed.push(a.id);
    expect(listed).toEqual([`${ACCOUNT}/providers/Microsoft.Security/assessments/${RULE}`]);
    const statuses = standIn
      .requests()
      .filter((e) => e.operation === 'Assessments_CreateOrUpdate')
      .map((e) => e.status);
    expect(statuses.slice(-2)).toEqual([201, 200]);
  });

  it('shows every assessment as the Security API represents it', () => {
    expect(standIn.assessments()).toEqual([
      expect.objectContaining({
        id: `${ACCOUNT}/providers/Microsoft.Security/assessments/${RULE}`,
        name: RULE,
        type: 'Microsoft.Security/assessments',
        properties: expect.objectContaining({
          status: expect.objectContaining({ code: 'Healthy' }),
          additionalData: expect.objectContaining({ ruleId: 'DD-STORAGE-001' }),
        }),
      }),
    ]);
  });

  it('answers 403 for a subscription the identity may not read', async () => {
    const hidden = `/subscriptions/${HIDDEN}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x`;
    const error = await security.assessments.get(hidden, RULE).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });

  it('deletes (200, then 204 when gone), and deleting the metadata deletes its assessments', async () => {
    await security.assessments.delete(ACCOUNT, RULE);
    await security.assessments.delete(ACCOUNT, RULE);
    expect(
      standIn
        .requests()
        .filter((e) => e.operation === 'Assessments_Delete')
        .map((e) => e.status),
    ).toEqual([200, 204]);
    await security.assessments.createOrUpdate(ACCOUNT, RULE, {
      resourceDetails: { source: 'Azure' },
      status: { code: 'Healthy' },
    });
    await security.assessmentsMetadata.deleteInSubscription(RULE);
    expect(standIn.assessments()).toEqual([]);
    expect(standIn.metadata()).toEqual([]);
  });

  it('counts every write and validates every exchange against the 2021-06-01 contracts', () => {
    expect(standIn.writes()).toBe(8);
    const entries = standIn.requests().filter((e) => e.operation !== 'ManagedIdentityToken');
    expect(entries.every((e) => e.apiVersion === '2021-06-01')).toBe(true);
    expect(entries.filter((e) => !e.requestValid || !e.answerValid)).toEqual([]);
  });
});
