import { describe, expect, it } from 'vitest';
import { assessmentName, uuidV5 } from '../../src/defender/assessment-name.js';
import {
  additionalDataOf,
  categoriesOf,
  defenderSeverity,
  metadataOf,
  statusOf,
} from '../../src/defender/mapping.js';
import { finding } from './findings.js';

describe('assessment names', () => {
  it('computes RFC 9562 UUIDv5 (its own example: DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('names a rule the same way every time, and each rule apart', () => {
    const name = assessmentName('DD-STORAGE-001');
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(assessmentName('DD-STORAGE-001')).toBe(name);
    expect(assessmentName('DD-STORAGE-002')).not.toBe(name);
  });
});

describe('metadata', () => {
  it('maps severities to Low/Medium/High, Critical to High', () => {
    expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'].map(defenderSeverity)).toEqual([
      'High',
      'High',
      'Medium',
      'Low',
      'Low',
    ]);
  });

  it('takes the category from the rule family, else the kind', () => {
    expect(categoriesOf({ ruleId: 'DD-NET-001', kind: 'network.firewall' })).toEqual([
      'Networking',
    ]);
    expect(categoriesOf({ ruleId: 'DD-IAM-002', kind: 'serverless.function' })).toEqual([
      'IdentityAndAccess',
    ]);
    expect(categoriesOf({ ruleId: 'DD-LOG-001', kind: 'audit.trail' })).toEqual([]);
    expect(categoriesOf({ ruleId: 'X-1', kind: 'compute.instance' })).toEqual(['Compute']);
  });

  it('is a CustomerManaged assessment type with the required fields', () => {
    expect(metadataOf(finding({ severity: 'CRITICAL' }))).toEqual({
      displayName: 'DD-STORAGE-001 Storage account allows public blob access',
      description: 'Storage account allows public blob access',
      remediationDescription: 'Set allowBlobPublicAccess to false.',
      categories: ['Data'],
      severity: 'High',
      assessmentType: 'CustomerManaged',
    });
  });
});

describe('assessment status', () => {
  it('Unhealthy while active (new, updated, reopened)', () => {
    expect(statusOf(finding())).toEqual({
      code: 'Unhealthy',
      cause: 'DD-STORAGE-001',
      description: 'allowBlobPublicAccess is true',
    });
    expect(statusOf(finding({ pendingTransition: 'reopened' })).code).toBe('Unhealthy');
  });

  it('Healthy when compliant again, NotApplicable when the rule left the bundle', () => {
    expect(
      statusOf(
        finding({
          status: 'RESOLVED',
          resolution: 'compliant',
          resolvedAt: '2024-05-02T00:00:00.000Z',
        }),
      ),
    ).toEqual({
      code: 'Healthy',
      description: 'Compliant with DD-STORAGE-001 since 2024-05-02T00:00:00.000Z',
    });
    expect(statusOf(finding({ status: 'RESOLVED', resolution: 'rule-removed' }))).toMatchObject({
      code: 'NotApplicable',
      cause: 'RuleRemoved',
    });
  });

  it('NotApplicable, cause Exempt, while waived', () => {
    const waiver = {
      rule: 'DD-STORAGE-001',
      reason: 'public website',
      owner: 'web-team',
      expires: '2025-01-01',
    };
    expect(statusOf(finding({ status: 'SUPPRESSED', waiver }))).toEqual({
      code: 'NotApplicable',
      cause: 'Exempt',
      description: 'Waived until 2025-01-01 by web-team: public website',
    });
  });

  it('keeps the real severity, the ids and the causing change in additionalData', () => {
    const data = additionalDataOf(
      finding({
        severity: 'CRITICAL',
        change: {
          changedBy: 'alice@contoso.com (Azure Portal)',
          changedAt: '2024-04-30T10:00:00.000Z',
          fields: [{ path: 'properties.allowBlobPublicAccess', before: 'False', after: 'True' }],
          relatedEvents: ['c-1'],
        },
      }),
    );
    expect(data).toEqual({
      ruleId: 'DD-STORAGE-001',
      findingId: '0123456789abcdef0123456789abcdef',
      severity: 'CRITICAL',
      firstSeen: '2024-05-01T06:00:00.000Z',
      lastSeen: '2024-05-01T06:00:00.000Z',
      changedBy: 'alice@contoso.com (Azure Portal)',
      changedAt: '2024-04-30T10:00:00.000Z',
      changedFields: 'properties.allowBlobPublicAccess: "False" → "True"',
      relatedEvents: 'c-1',
    });
    expect(Object.values(data).every((v) => typeof v === 'string')).toBe(true);
  });
});
