import { describe, expect, it } from 'vitest';
import type { FindingRecord } from './finding.js';
import { DEFAULT_REFRESH_DAYS, needsPublish } from './publish-policy.js';

const base = {
  status: 'ACTIVE',
  pendingTransition: null,
  publishedAt: '2026-11-01T00:00:00.000Z',
} as unknown as FindingRecord;

describe('needsPublish', () => {
  it('publishes every pending transition', () => {
    expect(
      needsPublish({ ...base, pendingTransition: 'updated' }, new Date('2026-11-01T00:00:01Z')),
    ).toBe(true);
    expect(
      needsPublish(
        { ...base, status: 'RESOLVED', pendingTransition: 'resolved' },
        new Date('2026-11-02'),
      ),
    ).toBe(true);
  });

  it('re-sends an unchanged open finding only once the refresh age has passed', () => {
    expect(DEFAULT_REFRESH_DAYS).toBe(30);
    expect(needsPublish(base, new Date('2026-11-30T23:59:59Z'))).toBe(false);
    expect(needsPublish(base, new Date('2026-12-01T00:00:00Z'))).toBe(true);
    expect(needsPublish(base, new Date('2026-11-08T00:00:00Z'), 7)).toBe(true);
  });

  it('never re-sends a resolved finding, and always sends one never published', () => {
    expect(needsPublish({ ...base, status: 'RESOLVED' }, new Date('2027-06-01'))).toBe(false);
    expect(needsPublish({ ...base, publishedAt: null }, new Date('2026-11-01'))).toBe(true);
  });
});
