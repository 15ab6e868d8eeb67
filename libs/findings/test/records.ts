import type { FindingRecord } from '../src/finding.js';

/** A stored finding record of an S3 bucket named `id`, as the store keeps one. */
export function findingRecord(id: string, overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    id,
    provider: 'aws',
    account: '123456789012',
    resourceId: `arn:aws:s3:::${id}`,
    ruleId: 'DD-STORAGE-001',
    title: 't',
    severity: 'HIGH',
    message: 'm',
    details: {},
    frameworks: {},
    remediation: 'r',
    region: 'us-east-1',
    resourceName: id,
    resourceType: 'AWS::S3::Bucket',
    kind: 'storage.bucket',
    tags: {},
    status: 'ACTIVE',
    firstSeen: 'T1',
    lastSeen: 'T1',
    lastChanged: 'T1',
    resolvedAt: null,
    resolution: null,
    waiver: null,
    contentHash: 'h1',
    pendingTransition: 'new',
    publishedAt: null,
    publishedHash: null,
    ...overrides,
  };
}
