import { describe, expect, it } from 'vitest';
import { checkWaivers } from './check.js';
import type { Waiver } from './waiver.js';

function waiver(expires: string): Waiver {
  return {
    rule: 'DD-NET-*',
    resource: { account: '123456789012' },
    reason: 'r',
    owner: 'o',
    expires,
    line: null,
  };
}

describe('checkWaivers', () => {
  // 2027-01-25 midday UTC.
  const now = new Date('2027-01-25T12:00:00Z');

  it('sorts waivers into expired and expiring soon, keeping file order', () => {
    const lapsedLongAgo = waiver('2026-12-01');
    const lapsedYesterday = waiver('2027-01-24');
    const endsToday = waiver('2027-01-25');
    const endsInAWeek = waiver('2027-01-31');
    const endsLater = waiver('2027-02-01');
    const result = checkWaivers(
      [endsLater, lapsedYesterday, endsInAWeek, lapsedLongAgo, endsToday],
      now,
      7,
    );
    expect(result.expired).toEqual([lapsedYesterday, lapsedLongAgo]);
    // 2027-01-31 ends at 2027-02-01T00:00Z, 6.5 days away; 2027-02-01 ends 7.5 days away.
    expect(result.expiringSoon).toEqual([endsInAWeek, endsToday]);
  });

  it('counts a waiver ending exactly at the horizon as expiring soon', () => {
    const midnight = new Date('2027-01-25T00:00:00Z');
    const atHorizon = waiver('2027-01-31'); // ends 2027-02-01T00:00Z, 7 days on
    expect(checkWaivers([atHorizon], midnight, 7).expiringSoon).toEqual([atHorizon]);
    expect(checkWaivers([atHorizon], midnight, 6.99).expiringSoon).toEqual([]);
  });

  it('counts a waiver as expired from midnight UTC after its expiry day', () => {
    const w = waiver('2027-01-31');
    expect(checkWaivers([w], new Date('2027-01-31T23:59:59.999Z'), 0)).toEqual({
      expired: [],
      expiringSoon: [],
    });
    expect(checkWaivers([w], new Date('2027-02-01T00:00:00Z'), 0).expired).toEqual([w]);
  });

  it('with 0 days, lists only expired waivers', () => {
    expect(checkWaivers([waiver('2027-01-25')], now, 0)).toEqual({ expired: [], expiringSoon: [] });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects withinDays %s', (days) => {
    expect(() => checkWaivers([], now, days)).toThrow(RangeError);
  });
});
