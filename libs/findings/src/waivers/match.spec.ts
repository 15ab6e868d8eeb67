import { describe, expect, it } from 'vitest';
import { activeWaiver, globMatches } from './match.js';
import type { Waiver, WaiverSubject } from './waiver.js';

const NOW = new Date('2026-06-01T00:00:00Z');

function waiver(overrides: Partial<Waiver> = {}): Waiver {
  return {
    rule: 'DD-STORAGE-001',
    resource: { id: 'arn:aws:s3:::public-site-*' },
    reason: 'Static website',
    owner: 'web@example.com',
    expires: '2027-01-31',
    line: null,
    ...overrides,
  };
}

const subject: WaiverSubject = {
  ruleId: 'DD-STORAGE-001',
  resourceId: 'arn:aws:s3:::public-site-docs',
  account: '123456789012',
  tags: { team: 'web', env: 'prod' },
};

describe('globMatches', () => {
  it.each([
    ['arn:aws:s3:::a.b', 'arn:aws:s3:::a.b', true],
    ['arn:aws:s3:::a.b', 'arn:aws:s3:::axb', false],
    ['a+b', 'aab', false],
    ['a+b', 'a+b', true],
    ['(x|y)', 'x', false],
    ['(x|y)', '(x|y)', true],
    ['[ab]{2}$^\\', 'ab', false],
    ['[ab]{2}$^\\', '[ab]{2}$^\\', true],
  ])('treats regex metacharacters literally: %s vs %s', (glob, value, expected) => {
    expect(globMatches(glob, value)).toBe(expected);
  });

  it('lets * cross / and : and match nothing', () => {
    const glob = '/subscriptions/*/providers/Microsoft.Storage/storageAccounts/web*';
    expect(
      globMatches(
        glob,
        '/subscriptions/0000/resourceGroups/rg-1/providers/Microsoft.Storage/storageAccounts/webfront',
      ),
    ).toBe(true);
    expect(globMatches('arn:*:s3:::b', 'arn:aws:iam::1:role/x:s3:::b')).toBe(true);
    expect(globMatches('site-*', 'site-')).toBe(true);
  });

  it('lets ? stand for exactly one character', () => {
    expect(globMatches('sg-0?', 'sg-0a')).toBe(true);
    expect(globMatches('sg-0?', 'sg-0')).toBe(false);
    expect(globMatches('sg-0?', 'sg-0ab')).toBe(false);
    expect(globMatches('x?y', 'x/y')).toBe(true);
    expect(globMatches('name-?', 'name-é')).toBe(true);
  });

  it('matches the whole value, not a part of it', () => {
    expect(globMatches('arn:aws:s3:::site', 'arn:aws:s3:::site-2')).toBe(false);
    expect(globMatches('arn:aws:s3:::site', 'x-arn:aws:s3:::site')).toBe(false);
  });

  it('is case-sensitive unless asked otherwise', () => {
    expect(globMatches('arn:aws:s3:::Site', 'arn:aws:s3:::site')).toBe(false);
    expect(globMatches('dd-net-*', 'DD-NET-001', true)).toBe(true);
  });
});

describe('activeWaiver', () => {
  it('returns the waiver whose rule and resource match', () => {
    const w = waiver();
    expect(activeWaiver([w], subject, NOW)).toBe(w);
  });

  it('matches rule ids by glob, case-insensitively', () => {
    expect(activeWaiver([waiver({ rule: 'dd-storage-*' })], subject, NOW)).toBeDefined();
    expect(activeWaiver([waiver({ rule: 'DD-STORAGE-00?' })], subject, NOW)).toBeDefined();
    expect(activeWaiver([waiver({ rule: 'DD-STORAGE-0?' })], subject, NOW)).toBeUndefined();
    expect(activeWaiver([waiver({ rule: 'DD-STORAGE-002' })], subject, NOW)).toBeUndefined();
    expect(activeWaiver([waiver({ rule: 'DD-NET-*' })], subject, NOW)).toBeUndefined();
  });

  it('matches resource ids case-sensitively', () => {
    const upper = waiver({ resource: { id: 'arn:aws:s3:::PUBLIC-SITE-*' } });
    expect(activeWaiver([upper], subject, NOW)).toBeUndefined();
  });

  it('matches the account exactly', () => {
    expect(
      activeWaiver([waiver({ resource: { account: '123456789012' } })], subject, NOW),
    ).toBeDefined();
    expect(
      activeWaiver([waiver({ resource: { account: '12345678901' } })], subject, NOW),
    ).toBeUndefined();
  });

  it('requires every listed tag to have exactly its value', () => {
    const tagged = (tags: Record<string, string>) => [waiver({ resource: { tags } })];
    expect(activeWaiver(tagged({ team: 'web' }), subject, NOW)).toBeDefined();
    expect(activeWaiver(tagged({ team: 'web', env: 'prod' }), subject, NOW)).toBeDefined();
    expect(activeWaiver(tagged({ team: 'web', env: 'dev' }), subject, NOW)).toBeUndefined();
    expect(activeWaiver(tagged({ team: 'Web' }), subject, NOW)).toBeUndefined();
    expect(activeWaiver(tagged({ owner: 'web' }), subject, NOW)).toBeUndefined();
    // A tag the resource lacks is not found on Object.prototype either.
    expect(
      activeWaiver(tagged({ constructor: 'function Object() { [native code] }' }), subject, NOW),
    ).toBeUndefined();
  });

  it('requires every listed criterion to match', () => {
    const w = (account: string) =>
      waiver({ resource: { id: 'arn:aws:s3:::public-*', account, tags: { team: 'web' } } });
    expect(activeWaiver([w('123456789012')], subject, NOW)).toBeDefined();
    expect(activeWaiver([w('999999999999')], subject, NOW)).toBeUndefined();
  });

  it('returns the first match in file order, skipping expired ones', () => {
    const expired = waiver({ expires: '2026-05-31', owner: 'a' });
    const first = waiver({ owner: 'b' });
    const second = waiver({ owner: 'c' });
    expect(activeWaiver([expired, first, second], subject, NOW)).toBe(first);
  });

  it('is active through the whole expiry day, UTC, and not a millisecond longer', () => {
    const w = [waiver({ expires: '2027-01-31' })];
    expect(activeWaiver(w, subject, new Date('2027-01-31T23:59:59.999Z'))).toBeDefined();
    expect(activeWaiver(w, subject, new Date('2027-02-01T00:00:00Z'))).toBeUndefined();
  });

  it('refuses a waiver built in code with an expiry that is not a date', () => {
    expect(() => activeWaiver([waiver({ expires: '2027-02-30' })], subject, NOW)).toThrow(
      RangeError,
    );
  });
});
