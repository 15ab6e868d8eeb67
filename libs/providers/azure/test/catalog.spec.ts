import { assertValidResource } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { CATALOG, ruleOfFixture } from './catalog-rules.js';
import { must, native, nativeFiles, scanOne } from './helpers.js';

const catalogFiles = nativeFiles().filter((f) => ruleOfFixture(f) !== null);

describe('rule catalog fixtures', () => {
  it('has a violating fixture and a compliant twin for every Azure rule', () => {
    for (const rule of CATALOG) {
      const files = catalogFiles.filter((f) => ruleOfFixture(f)?.rule === rule);
      expect(
        files.filter((f) => f.includes('-violating-')),
        rule.id,
      ).not.toHaveLength(0);
      expect(
        files.filter((f) => f.includes('-compliant-')),
        rule.id,
      ).not.toHaveLength(0);
    }
  });

  it.each(catalogFiles)('%s normalizes to what the rule expects', (file) => {
    const { rule, violating } = must(ruleOfFixture(file));
    const result = scanOne(native(file), file);
    expect(result.errors).toEqual([]);
    expect(result.leftovers).toEqual([]);
    for (const resource of result.resources) assertValidResource(resource, file);
    const subject = rule.subject(result.resources);
    const resource = must(subject, `${file}: resource for ${rule.id}`);
    expect(rule.violates(resource)).toBe(violating);
    // A compliant twin must be compliant by known values, not by unknowns.
    expect(rule.compliantValue(resource)).toBe(!violating);
  });
});
