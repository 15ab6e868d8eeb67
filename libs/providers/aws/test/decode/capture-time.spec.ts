import { describe, expect, it } from 'vitest';
import { captureTimeToRfc3339 } from '../../src/index.js';

describe('captureTimeToRfc3339', () => {
  it.each([
    { input: '2017-02-04T06:10:33.880000-05:00', expected: '2017-02-04T11:10:33.880Z' },
    { input: '2017-09-15T02:08:26.719Z', expected: '2017-09-15T02:08:26.719Z' },
    { input: '2020-11-02T03:28:12.399000+0530', expected: '2020-11-01T21:58:12.399Z' },
    { input: '2016-06-09T08:59:59Z', expected: '2016-06-09T08:59:59.000Z' },
    { input: 1502510556.116, expected: '2017-08-12T04:02:36.116Z' },
    { input: 1502443814.0, expected: '2017-08-11T09:30:14.000Z' },
    { input: 1621024924302, expected: '2021-05-14T20:42:04.302Z' },
    {
      input: {
        __class__: 'datetime',
        year: 2016,
        month: 12,
        day: 11,
        hour: 6,
        minute: 4,
        second: 3,
        microsecond: 800000,
      },
      expected: '2016-12-11T06:04:03.800Z',
    },
  ])('$input → $expected', ({ input, expected }) => {
    expect(captureTimeToRfc3339(input)).toBe(expected);
  });

  it.each([
    '2017-02-04T06:10:33', // no zone: ambiguous
    '2017-02-30T00:00:00Z',
    '2017-13-01T00:00:00Z',
    '2017-01-01T24:00:00Z',
    'yesterday',
    '',
    -1,
    Number.NaN,
    1e20,
    null,
    { __class__: 'datetime', year: 2016, month: 2, day: 30 },
    { __class__: 'datetime', year: '2016', month: 1, day: 1 },
    { year: 2016, month: 1, day: 1 },
  ])('reads %j as no time (null)', (input) => {
    expect(captureTimeToRfc3339(input)).toBeNull();
  });
});
