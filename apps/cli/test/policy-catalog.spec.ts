import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogData,
  catalogDir,
  catalogFixtures,
  catalogTests,
} from '../scripts/policy-catalog.js';

describe('policies/test/catalog', () => {
  it('is what the provider fixtures normalize to today (run scripts/write-policy-catalog.ts after a change)', async () => {
    const fixtures = await catalogFixtures();
    expect(await readFile(path.join(catalogDir, 'data.json'), 'utf8')).toBe(catalogData(fixtures));
    expect(await readFile(path.join(catalogDir, 'catalog_test.rego'), 'utf8')).toBe(
      catalogTests(fixtures),
    );
  });

  it('covers every cloud with violating fixtures and compliant twins', async () => {
    const fixtures = await catalogFixtures();
    for (const provider of ['aws', 'azure', 'gcp']) {
      const mine = fixtures.filter((f) => f.provider === provider);
      expect(mine.some((f) => f.violating)).toBe(true);
      expect(mine.some((f) => !f.violating)).toBe(true);
    }
  });
});
