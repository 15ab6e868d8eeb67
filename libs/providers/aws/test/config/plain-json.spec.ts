import { describe, expect, it } from 'vitest';
import { captureTimeToRfc3339 } from '../../src/index.js';
import { toPlainJson } from '../../src/config/plain-json.js';

describe('toPlainJson', () => {
  it('writes every Date, at any depth, as the ISO 8601 text captureTimeToRfc3339 reads', () => {
    const capture = new Date(Date.UTC(2026, 10, 1, 8, 30, 15, 123));
    const value = toPlainJson({
      configurationItemCaptureTime: capture,
      nested: { list: [{ resourceDeletionTime: new Date(0) }] },
    });
    expect(value).toEqual({
      configurationItemCaptureTime: '2026-11-01T08:30:15.123Z',
      nested: { list: [{ resourceDeletionTime: '1970-01-01T00:00:00.000Z' }] },
    });
    const written = (value as Record<string, unknown>)['configurationItemCaptureTime'];
    expect(captureTimeToRfc3339(written)).toBe(capture.toISOString());
  });

  it('gives the same value back through JSON text, and leaves the input untouched', () => {
    const input = {
      configuration: '{"name":"b"}',
      supplementaryConfiguration: { IsRequesterPaysEnabled: 'false' },
      count: 3,
      flag: false,
      none: null,
      at: new Date(Date.UTC(2024, 0, 2)),
    };
    const value = toPlainJson(input);
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
    expect(input.at).toBeInstanceOf(Date);
    expect(value).not.toBe(input);
  });

  it('drops members the SDK left undefined, as the wire omits them', () => {
    expect(toPlainJson({ arn: 'arn:aws:s3:::b', resourceName: undefined })).toEqual({
      arn: 'arn:aws:s3:::b',
    });
    expect(Object.keys(toPlainJson({ a: undefined }) as object)).toEqual([]);
  });

  it('keeps a "__proto__" key from the wire a key, not the prototype', () => {
    const input = JSON.parse(
      '{"supplementaryConfiguration":{"__proto__":"{\\"x\\":1}"}}',
    ) as unknown;
    const value = toPlainJson(input) as Record<string, Record<string, unknown>>;
    const supplementary = value['supplementaryConfiguration'] as Record<string, unknown>;
    expect(Object.keys(supplementary)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(supplementary)).toBe(Object.prototype);
  });

  it.each([
    ['an invalid Date', { at: new Date('not a date') }, '$.at: invalid Date'],
    ['NaN', { n: Number.NaN }, '$.n: NaN is not a JSON number'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0]: Infinity is not a JSON number'],
    ['a bigint', { big: 10n }, '$.big: a bigint is not JSON'],
    ['a function', { f: () => 1 }, '$.f: a function is not JSON'],
    ['a class instance', { m: new Map() }, '$.m: an instance of Map is not JSON'],
    ['undefined in a list', { l: [1, undefined] }, '$.l[1]: undefined in a list'],
    ['undefined itself', undefined, '$: undefined is not JSON'],
  ])('refuses %s, naming where it is', (_what, input, message) => {
    expect(() => toPlainJson(input)).toThrow(new TypeError(message));
  });
});
