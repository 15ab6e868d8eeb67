import { describe, expect, it } from 'vitest';
import { toCidr, toPortRange } from '../src/decode/net.js';
import { decodeStruct, isStruct, StructError } from '../src/decode/struct.js';
import { toUtcTimestamp } from '../src/decode/time.js';

describe('toUtcTimestamp', () => {
  it.each([
    ['CAI update time, microseconds', '2020-05-29T16:16:39.545214Z', '2020-05-29T16:16:39.545214Z'],
    [
      'open-ended window sentinel, nanoseconds',
      '2262-04-11T23:47:16.854775807Z',
      '2262-04-11T23:47:16.854775807Z',
    ],
    [
      'compute creationTimestamp with an offset, across midnight',
      '2019-02-17T17:19:42.469-08:00',
      '2019-02-18T01:19:42.469Z',
    ],
    ['positive offset', '2025-11-11T16:03:28+01:00', '2025-11-11T15:03:28Z'],
    [
      'more than nine fractional digits are cut',
      '2025-01-01T00:00:00.1234567891Z',
      '2025-01-01T00:00:00.123456789Z',
    ],
    [
      'Node client Timestamp',
      { seconds: '1590769000', nanos: 545214000 },
      '2020-05-29T16:16:40.545214Z',
    ],
    ['Node client Timestamp without nanos', { seconds: 0 }, '1970-01-01T00:00:00Z'],
    ['a date that does not exist', '2019-02-30T00:00:00Z', null],
    ['no zone', '2019-02-17T17:19:42', null],
    ['a date only', '2019-02-17', null],
    ['nanos out of range', { seconds: '1', nanos: 1e9 }, null],
    ['a number', 1590769000, null],
  ])('%s', (_, input, expected) => {
    expect(toUtcTimestamp(input)).toBe(expected);
  });
});

describe('toCidr', () => {
  it.each([
    ['1.1.1.1', '1.1.1.1/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['35.235.240.0/20', '35.235.240.0/20'],
    ['2001:db8::1', '2001:db8::1/128'],
    ['::/0', '::/0'],
    ['10.0.0.0/33', null],
    ['2001:db8::/129', null],
    ['0.0.0.0/', null],
    ['office', null],
    ['*', null],
  ])('%s → %s', (input, expected) => {
    expect(toCidr(input)).toBe(expected);
  });
});

describe('toPortRange', () => {
  it.each([
    ['22', { from: 22, to: 22 }],
    ['21-25', { from: 21, to: 25 }],
    ['0-65535', { from: 0, to: 65535 }],
    ['25-21', null],
    ['65536', null],
    ['22,23', null],
    [22, null],
  ])('%s', (input, expected) => {
    expect(toPortRange(input)).toEqual(expected);
  });
});

describe('protobuf Struct', () => {
  it('decodes every Value kind, including protobufjs `kind` markers and nullValue enums', () => {
    const struct = {
      fields: {
        s: { stringValue: 'x' },
        n: { numberValue: 1.5 },
        b: { boolValue: false, kind: 'boolValue' },
        z: { nullValue: 'NULL_VALUE' },
        z0: { nullValue: 0, kind: 'nullValue' },
        l: { listValue: { values: [{ stringValue: 'a' }, { structValue: { fields: {} } }] } },
        e: { listValue: {} },
        o: { structValue: { fields: { deep: { numberValue: 2 } } } },
      },
    };
    expect(isStruct(struct)).toBe(true);
    expect(decodeStruct(struct)).toEqual({
      s: 'x',
      n: 1.5,
      b: false,
      z: null,
      z0: null,
      l: ['a', {}],
      e: [],
      o: { deep: 2 },
    });
  });

  it('does not take plain REST data for a Struct', () => {
    expect(isStruct({ fields: ['a'], name: 'x' })).toBe(false);
    expect(isStruct({ name: 'b', kind: 'storage#bucket' })).toBe(false);
    expect(isStruct({ fields: { a: 'b' } })).toBe(false);
  });

  it.each([
    [
      'a value of the wrong type',
      { fields: { a: { numberValue: '1' } } },
      /data\.a is not a number/,
    ],
    ['two members set', { fields: { a: { numberValue: 1, stringValue: 'x' } } }, /more than one/],
    ['a list that is no list', { fields: { a: { listValue: { values: 'x' } } } }, /ListValue/],
  ])('throws StructError on %s', (_, struct, reason) => {
    expect(() => decodeStruct(struct)).toThrow(StructError);
    expect(() => decodeStruct(struct)).toThrow(reason);
  });
});
