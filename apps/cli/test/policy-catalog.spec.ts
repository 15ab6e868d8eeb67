import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtPolicyEngine } from '@drift-detective/testing';
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
    const tests = catalogTests(fixtures);
    const written = (await readdir(catalogDir)).filter((f) => f.endsWith('_test.rego')).sort();
    expect(written).toEqual([...tests.keys()].sort());
    for (const [file, text] of tests) {
      expect(await readFile(path.join(catalogDir, file), 'utf8'), file).toBe(text);
    }
  });

  it('covers every cloud with violating fixtures and compliant twins', async () => {
    const fixtures = await catalogFixtures();
    for (const provider of ['aws', 'azure', 'gcp']) {
      const mine = fixtures.filter((f) => f.provider === provider);
      expect(mine.some((f) => f.violating)).toBe(true);
      expect(mine.some((f) => !f.violating)).toBe(true);
    }
  });

  // The engine runs a rule only on the kinds its METADATA lists (drift.dispatch).
  // A kind left out there would hide the rule's violations: on every native
  // case, the rules of the kind must find what every rule finds.
  it('loses no violation to the selection of rules by kind, on any native case', async () => {
    const engine = await builtPolicyEngine();
    const fixtures = await catalogFixtures();
    let violating = 0;
    for (const fixture of fixtures) {
      for (const resource of fixture.resources) {
        const selected = engine.evaluate(resource);
        expect(selected, fixture.name).toEqual(engine.evaluateEveryRule(resource));
        if (fixture.violating && selected.some((v) => v.ruleId === fixture.ruleId)) violating++;
      }
    }
    expect(violating).toBeGreaterThanOrEqual(fixtures.filter((f) => f.violating).length);
  });

  // A scan judges many resources per call (drift/dispatch/batch), each with the fields no
  // rule names left out: on every native case, all in one batch, it must find what the
  // reference finds given the whole resource.
  it('judges every native case in one batch as the reference does', async () => {
    const engine = await builtPolicyEngine();
    const resources = (await catalogFixtures()).flatMap((fixture) => fixture.resources);
    const outcomes = engine.evaluateMany(resources);
    expect(outcomes).toHaveLength(resources.length);
    for (const [i, outcome] of outcomes.entries()) {
      const resource = resources[i] as (typeof resources)[number];
      expect(outcome.resource).toBe(resource);
      expect(outcome.ok && outcome.violations, resource.id).toEqual(
        engine.evaluateEveryRule(resource),
      );
    }
  });
});
