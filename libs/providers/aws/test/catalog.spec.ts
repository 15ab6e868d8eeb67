import { describe, expect, it } from 'vitest';
import { catalogFixture, VERDICTS } from './catalog.js';
import { defined, native, nativeFiles, normalizeOne } from './helpers.js';

/** The rules of the catalog that apply to AWS (DESIGN.md rule catalog). */
const AWS_RULES = [
  'DD-STORAGE-001',
  'DD-STORAGE-002',
  'DD-STORAGE-003',
  'DD-STORAGE-004',
  'DD-STORAGE-005',
  'DD-NET-001',
  'DD-NET-002',
  'DD-IAM-001',
  'DD-IAM-002',
  'DD-DB-001',
  'DD-DB-002',
  'DD-DB-004',
  'DD-KMS-001',
  'DD-LOG-001',
  'DD-LOG-002',
  'DD-COMPUTE-001',
  'DD-COMPUTE-002',
  'DD-LOG-003',
  'DD-DB-006',
  'DD-NET-003',
  'DD-COMPUTE-008',
  'DD-IAM-003',
  'DD-IAM-004',
  'DD-COMPUTE-009',
];

const fixtures = nativeFiles().flatMap((file) => {
  const parsed = catalogFixture(file);
  return parsed ? [{ file, ...parsed }] : [];
});

describe('catalog fixtures', () => {
  it('give every AWS rule a violating record and a compliant twin', () => {
    for (const rule of AWS_RULES) {
      const mine = fixtures.filter((f) => f.rule === rule);
      expect(mine.map((f) => f.expected).sort(), rule).toEqual(
        expect.arrayContaining(['compliant', 'violating']),
      );
    }
    expect(new Set(fixtures.map((f) => f.rule))).toEqual(new Set(AWS_RULES));
  });

  it.each(fixtures)('$file is $expected for $rule', ({ file, rule, expected }) => {
    const resource = normalizeOne(native(file), file);
    expect(defined(VERDICTS[rule], rule)(resource)).toBe(expected);
  });

  it('each record is one configuration item in the notification envelope', () => {
    for (const { file } of fixtures) {
      const item = native(file) as Record<string, unknown>;
      expect(item, file).toHaveProperty('configurationItemVersion');
      expect(item, file).toHaveProperty('ARN');
      expect(item, file).toHaveProperty('awsAccountId');
      expect(typeof item['configuration'], file).toBe('object');
    }
  });
});
