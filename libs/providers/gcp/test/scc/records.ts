import { readFileSync } from 'node:fs';
import type { FindingRecord } from '@drift-detective/findings';

/** The sample Cloud Asset export the stand-in is seeded with (organization 671234098812). */
export const SEED = readFileSync(
  new URL('../../../../../samples/gcp/cloud-asset-export.ndjson', import.meta.url),
  'utf8',
);
export const ORG_ID = '671234098812';
export const PROJECT = 'dd-fixtures-prod';
export const BUCKET = '//storage.googleapis.com/acme-public-assets';
export const FIREWALL =
  '//compute.googleapis.com/projects/dd-fixtures-prod/global/firewalls/allow-ssh-anywhere';

/** Test retry settings: the shared backoff, without waiting. */
export const FAST_RETRY = { baseMs: 1, capMs: 5, random: () => 0 } as const;

/** A 32-hex finding id from a small number. */
export const idOf = (n: number): string => n.toString(16).padStart(32, '0');

/** An open DD-STORAGE-001 finding on the public bucket, with what a test changes. */
export function record(overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    provider: 'gcp',
    account: PROJECT,
    resourceId: BUCKET,
    ruleId: 'DD-STORAGE-001',
    title: 'Bucket readable by anyone',
    severity: 'CRITICAL',
    message: 'allUsers holds roles/storage.objectViewer on the bucket',
    details: { member: 'allUsers', role: 'roles/storage.objectViewer' },
    frameworks: {
      'cis-gcp-2.0': ['5.1'],
      'cis-aws-3.0': ['2.1.4'],
      'nist-800-53': ['AC-3', 'AC-21'],
    },
    remediation: 'Remove allUsers and allAuthenticatedUsers from the bucket policy.',
    region: 'us',
    resourceName: 'acme-public-assets',
    resourceType: 'storage.googleapis.com/Bucket',
    kind: 'storage.bucket',
    tags: {},
    observedAt: '2026-01-15T06:00:00.000Z',
    status: 'ACTIVE',
    firstSeen: '2026-01-15T06:00:00.000Z',
    lastSeen: '2026-01-15T06:00:00.000Z',
    lastChanged: '2026-01-15T06:00:00.000Z',
    resolvedAt: null,
    resolution: null,
    waiver: null,
    contentHash: 'h',
    pendingTransition: 'new',
    publishedAt: null,
    publishedHash: null,
    change: {
      changedBy: 'alice@example.com',
      changedAt: '2026-01-15T05:59:30.000Z',
      changeType: 'UPDATE',
      fields: [
        {
          path: 'iamPolicy.bindings',
          before: [],
          after: [{ role: 'roles/storage.objectViewer', members: ['allUsers'] }],
        },
      ],
    },
    ...overrides,
  };
}

export const resolved = (
  resolution: 'compliant' | 'deleted' | 'rule-removed',
  overrides: Partial<FindingRecord> = {},
): FindingRecord =>
  record({
    status: 'RESOLVED',
    resolution,
    resolvedAt: '2026-01-15T07:00:00.000Z',
    observedAt: '2026-01-15T07:00:00.000Z',
    lastChanged: '2026-01-15T07:00:00.000Z',
    pendingTransition: 'resolved',
    change: undefined,
    ...overrides,
  });

export const waived = (overrides: Partial<FindingRecord> = {}): FindingRecord =>
  record({
    status: 'SUPPRESSED',
    waiver: {
      rule: 'DD-STORAGE-001',
      reason: 'public website assets',
      owner: 'web-team@example.com',
      expires: '2026-06-30',
    },
    pendingTransition: 'suppressed',
    ...overrides,
  });
