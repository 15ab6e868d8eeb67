import { describe, expect, it } from 'vitest';
import { coversPublicIpv4, ipv4Interval, toCidr } from '../src/decode/ip.js';
import { toRfc3339Utc } from '../src/decode/time.js';
import { canonicalType } from '../src/index.js';

describe('toRfc3339Utc', () => {
  it.each([
    ['2021-01-21T15:00:41.0000000Z', '2021-01-21T15:00:41.000Z'],
    ['2023-06-02T15:30:45.1234567+02:00', '2023-06-02T13:30:45.123Z'],
    ['2024-02-29T00:00:00z', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
    ['2021-02-30T00:00:00Z', null],
    ['2021-01-01T24:00:00Z', null],
    ['2021-01-01 10:00:00Z', null],
    ['2021-01-01T10:00:00', null],
    [1700000000, null],
  ])('%s → %s', (input, expected) => {
    expect(toRfc3339Utc(input)).toBe(expected);
  });
});

describe('address helpers', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.1.2.3', '10.1.2.3/32'],
    ['::/0', '::/0'],
    ['fe80::1', 'fe80::1/128'],
    ['10.0.0.0/33', null],
    ['300.0.0.1', null],
    ['VirtualNetwork', null],
  ])('toCidr(%s) → %s', (input, expected) => {
    expect(toCidr(input)).toBe(expected);
  });

  it('intervals align to the prefix', () => {
    expect(ipv4Interval('10.1.2.3/8')).toEqual([167772160, 184549375]);
  });

  it.each([
    { prefixes: ['0.0.0.0/0'], expected: true },
    { prefixes: ['0.0.0.0/1', '128.0.0.0/1'], expected: true },
    // The recorded Key Vault rules: everything but 127.0.0.0/8 (loopback).
    {
      prefixes: [
        '0.0.0.0/2',
        '64.0.0.0/3',
        '96.0.0.0/4',
        '112.0.0.0/5',
        '120.0.0.0/6',
        '124.0.0.0/7',
        '126.0.0.0/8',
        '128.0.0.0/1',
      ],
      expected: true,
    },
    { prefixes: ['0.0.0.0/2', '128.0.0.0/1'], expected: false },
    { prefixes: ['10.0.0.0/8'], expected: false },
    { prefixes: ['::/0'], expected: false },
    { prefixes: [], expected: false },
  ])('coversPublicIpv4($prefixes) → $expected', ({ prefixes, expected }) => {
    expect(coversPublicIpv4(prefixes)).toBe(expected);
  });
});

describe('canonicalType', () => {
  it.each([
    ['microsoft.storage/storageaccounts', 'Microsoft.Storage/storageAccounts'],
    ['MICROSOFT.SQL/SERVERS/FIREWALLRULES', 'Microsoft.Sql/servers/firewallRules'],
    ['Microsoft.Web/sites', 'Microsoft.Web/sites'],
    ['Microsoft.Web/sites/config', null],
    ['constructor', null],
  ])('%s → %s', (input, expected) => {
    expect(canonicalType(input)).toBe(expected);
  });
});
