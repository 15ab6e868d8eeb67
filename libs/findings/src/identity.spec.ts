import { describe, expect, it } from 'vitest';
import { findingId } from './identity.js';

const key = {
  provider: 'aws',
  account: '123456789012',
  resourceId: 'arn:aws:s3:::b',
  ruleId: 'DD-STORAGE-001',
};

describe('findingId', () => {
  it('is the first 32 hex characters of sha256(provider|account|resourceId|ruleId)', () => {
    // sha256("aws|123456789012|arn:aws:s3:::b|DD-STORAGE-001"), computed independently with sha256sum.
    expect(findingId(key)).toBe('fafea6973336373c30e20b63f2dddca2');
  });

  it('is stable and differs when any part differs', () => {
    expect(findingId({ ...key })).toBe(findingId(key));
    for (const part of ['provider', 'account', 'resourceId', 'ruleId'] as const) {
      expect(findingId({ ...key, [part]: `${key[part]}x` })).not.toBe(findingId(key));
    }
  });

  it('keeps the separator meaningful: moving a character across fields changes the id', () => {
    expect(
      findingId({ ...key, account: '12345678901', resourceId: `2${key.resourceId}` }),
    ).not.toBe(findingId(key));
  });
});
