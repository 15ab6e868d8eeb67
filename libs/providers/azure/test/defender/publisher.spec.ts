import { isPartialPublishFailure } from '@drift-detective/pipeline';
import { describe, expect, it } from 'vitest';
import { createAzureClients } from '../../src/arm/clients.js';
import { assessmentName } from '../../src/defender/assessment-name.js';
import { DefenderPublishError } from '../../src/defender/errors.js';
import { assessmentScope, DefenderPublisher } from '../../src/defender/publisher.js';
import {
  fakeCredential,
  fakeTransport,
  type FakeAnswer,
  type SeenRequest,
} from '../arm/fake-arm.js';
import { ACCOUNT_ID, finding, SUB } from './findings.js';

const NAME = assessmentName('DD-STORAGE-001');
const METADATA_PATH = `/subscriptions/${SUB}/providers/Microsoft.Security/assessmentMetadata/${NAME}`;
const ASSESSMENT_PATH = `${ACCOUNT_ID}/providers/Microsoft.Security/assessments/${NAME}`;

/** Defender for Cloud in memory: metadata and assessments by path; `refuse` answers for given paths. */
function fakeDefender(refuse: Record<string, FakeAnswer> = {}) {
  const metadata = new Map<string, unknown>();
  const assessments = new Map<string, unknown>();
  const handler = ({ method, url, body }: SeenRequest): FakeAnswer => {
    const path = url.pathname;
    const refusal = refuse[`${method} ${path}`];
    if (refusal) return refusal;
    const store = path.includes('/assessmentMetadata/') ? metadata : assessments;
    if (method === 'GET') {
      return store.has(path)
        ? { status: 200, body: { id: path, name: NAME, ...(store.get(path) as object) } }
        : { status: 404, body: { error: { code: 'NotFound', message: 'no such thing' } } };
    }
    if (method === 'PUT') {
      if (store === assessments && !metadata.has(METADATA_PATH)) {
        return { status: 400, body: { error: { code: 'BadRequest', message: 'no metadata' } } };
      }
      store.set(path, body);
      return { status: 200, body: { id: path, name: NAME, ...(body as object) } };
    }
    if (method === 'DELETE') return { status: store.delete(path) ? 200 : 204 };
    return { status: 405 };
  };
  return { metadata, assessments, handler };
}

function publisherOn(defender: ReturnType<typeof fakeDefender>, maxRetries = 0) {
  const transport = fakeTransport(defender.handler);
  const clients = createAzureClients({
    credential: fakeCredential(),
    endpoint: 'https://management.example.test',
    httpClient: transport,
    retry: { maxRetries, baseMs: 1, capMs: 2 },
  });
  const warnings: string[] = [];
  const logger = {
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    warn: (_: Record<string, unknown>, message: string) => void warnings.push(message),
  };
  return { publisher: new DefenderPublisher({ clients, logger }), transport, warnings };
}

const second = (overrides = {}) =>
  finding({
    id: 'ffffffffffffffffffffffffffffffff',
    resourceId: ACCOUNT_ID.replace('acct', 'acct2'),
    ...overrides,
  });

describe('DefenderPublisher', () => {
  it('creates the rule metadata once (GET, then PUT on 404) and one assessment per finding', async () => {
    const defender = fakeDefender();
    const { publisher, transport } = publisherOn(defender);
    await publisher.publish([finding(), second()]);
    await publisher.publish([finding()]);
    const metadataCalls = transport.requests.filter((r) => r.url.pathname === METADATA_PATH);
    expect(metadataCalls.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(defender.metadata.get(METADATA_PATH)).toEqual({
      properties: {
        displayName: 'DD-STORAGE-001 Storage account allows public blob access',
        description: 'Storage account allows public blob access',
        remediationDescription: 'Set allowBlobPublicAccess to false.',
        categories: ['Data'],
        severity: 'High',
        assessmentType: 'CustomerManaged',
      },
    });
    expect(defender.assessments.get(ASSESSMENT_PATH)).toMatchObject({
      properties: {
        resourceDetails: { source: 'Azure' },
        status: {
          code: 'Unhealthy',
          cause: 'DD-STORAGE-001',
          description: 'allowBlobPublicAccess is true',
        },
        additionalData: {
          ruleId: 'DD-STORAGE-001',
          findingId: '0123456789abcdef0123456789abcdef',
          severity: 'HIGH',
        },
      },
    });
    expect(defender.assessments.size).toBe(2);
  });

  it('never re-creates metadata that exists', async () => {
    const defender = fakeDefender();
    defender.metadata.set(METADATA_PATH, { properties: { displayName: 'made before' } });
    const { publisher, transport } = publisherOn(defender);
    await publisher.publish([finding()]);
    expect(
      transport.requests.filter((r) => r.url.pathname === METADATA_PATH).map((r) => r.method),
    ).toEqual(['GET']);
    expect(defender.metadata.get(METADATA_PATH)).toEqual({
      properties: { displayName: 'made before' },
    });
  });

  it('follows the finding: Healthy when resolved, NotApplicable when waived, Unhealthy when reopened', async () => {
    const defender = fakeDefender();
    const { publisher } = publisherOn(defender);
    const status = () =>
      (defender.assessments.get(ASSESSMENT_PATH) as { properties: { status: { code: string } } })
        .properties.status;
    await publisher.publish([finding({ status: 'RESOLVED', resolution: 'compliant' })]);
    expect(status().code).toBe('Healthy');
    const waiver = { rule: 'DD-STORAGE-001', reason: 'r', owner: 'o', expires: '2099-01-01' };
    await publisher.publish([finding({ status: 'SUPPRESSED', waiver })]);
    expect(status()).toMatchObject({ code: 'NotApplicable', cause: 'Exempt' });
    await publisher.publish([finding({ pendingTransition: 'reopened' })]);
    expect(status().code).toBe('Unhealthy');
  });

  it('deletes the assessment of a deleted resource (idempotent: 204 and 404 are done)', async () => {
    const defender = fakeDefender();
    const { publisher, transport } = publisherOn(defender);
    await publisher.publish([finding()]);
    const deleted = finding({ status: 'RESOLVED', resolution: 'deleted' });
    await publisher.publish([deleted]);
    expect(defender.assessments.has(ASSESSMENT_PATH)).toBe(false);
    await publisher.publish([deleted]);
    const gone = fakeDefender({
      [`DELETE ${ASSESSMENT_PATH}`]: {
        status: 404,
        body: { error: { code: 'ResourceNotFound', message: 'x' } },
      },
    });
    await publisherOn(gone).publisher.publish([deleted]);
    expect(transport.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
    expect(transport.requests.every((r) => !r.url.pathname.startsWith('//'))).toBe(true);
  });

  it('reports a refusal for good as permanent and still publishes the others', async () => {
    const refusedPath = `${second().resourceId}/providers/Microsoft.Security/assessments/${NAME}`;
    const defender = fakeDefender({
      [`PUT ${refusedPath}`]: {
        status: 403,
        body: { error: { code: 'AuthorizationFailed', message: 'no write' } },
      },
    });
    const { publisher } = publisherOn(defender);
    const error = await publisher.publish([finding(), second()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefenderPublishError);
    expect(isPartialPublishFailure(error)).toBe(true);
    expect((error as DefenderPublishError).rejected).toEqual([
      {
        id: 'ffffffffffffffffffffffffffffffff',
        permanent: true,
        reason: expect.stringMatching(/HTTP 403 AuthorizationFailed: no write/) as unknown,
      },
    ]);
    expect(defender.assessments.has(ASSESSMENT_PATH)).toBe(true);
  });

  it('reports throttling that outlasts the retries as transient', async () => {
    const defender = fakeDefender({ [`PUT ${ASSESSMENT_PATH}`]: { status: 429 } });
    const { publisher, transport } = publisherOn(defender, 2);
    const error = (await publisher
      .publish([finding()])
      .catch((e: unknown) => e)) as DefenderPublishError;
    expect(error.rejected).toEqual([expect.objectContaining({ permanent: false })]);
    expect(
      transport.requests.filter((r) => r.method === 'PUT' && r.url.pathname === ASSESSMENT_PATH),
    ).toHaveLength(3);
  });

  it('a failed metadata creation fails its findings and is tried again next time', async () => {
    const refusing = fakeDefender({ [`PUT ${METADATA_PATH}`]: { status: 500 } });
    const { publisher, transport } = publisherOn(refusing);
    const error = (await publisher
      .publish([finding()])
      .catch((e: unknown) => e)) as DefenderPublishError;
    expect(error.failures[0]).toMatchObject({
      operation: 'PUT assessment metadata',
      permanent: false,
    });
    await publisher.publish([finding()]).catch(() => undefined);
    expect(
      transport.requests.filter((r) => r.url.pathname === METADATA_PATH && r.method === 'GET'),
    ).toHaveLength(2);
  });

  it('sends Azure findings only, and refuses for good one that is in no subscription', async () => {
    const defender = fakeDefender();
    const { publisher, warnings } = publisherOn(defender);
    const error = (await publisher
      .publish([
        finding({ provider: 'aws', id: 'aws1' }),
        finding({
          id: 'tenant',
          account: '',
          resourceId: '/providers/Microsoft.Authorization/roleDefinitions/r',
        }),
      ])
      .catch((e: unknown) => e)) as DefenderPublishError;
    expect(warnings).toContain(
      'Defender for Cloud takes Azure findings only: findings of other providers not sent',
    );
    expect(error.rejected).toEqual([expect.objectContaining({ id: 'tenant', permanent: true })]);
  });

  it('passes resource ids to the SDK without the leading slash', () => {
    expect(assessmentScope('/subscriptions/s/resourceGroups/rg/')).toBe(
      'subscriptions/s/resourceGroups/rg',
    );
  });
});
