import type { FindingRecord } from '@drift-detective/findings';

export const SUB = '00000000-0000-0000-0000-000000000001';
export const ACCOUNT_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct`;

/** An open DD-STORAGE-001 finding on a storage account, with what a test changes. */
export function finding(overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    id: '0123456789abcdef0123456789abcdef',
    provider: 'azure',
    account: SUB,
    resourceId: ACCOUNT_ID,
    ruleId: 'DD-STORAGE-001',
    title: 'Storage account allows public blob access',
    severity: 'HIGH',
    message: 'allowBlobPublicAccess is true',
    details: {},
    frameworks: {},
    remediation: 'Set allowBlobPublicAccess to false.',
    region: 'westeurope',
    resourceName: 'acct',
    resourceType: 'Microsoft.Storage/storageAccounts',
    kind: 'storage.bucket',
    tags: {},
    observedAt: '2024-05-01T06:00:00.000Z',
    status: 'ACTIVE',
    firstSeen: '2024-05-01T06:00:00.000Z',
    lastSeen: '2024-05-01T06:00:00.000Z',
    lastChanged: '2024-05-01T06:00:00.000Z',
    resolvedAt: null,
    resolution: null,
    waiver: null,
    contentHash: 'h',
    pendingTransition: 'new',
    publishedAt: null,
    publishedHash: null,
    ...overrides,
  };
}
