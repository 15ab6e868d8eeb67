import { assertValidResource, catalogFixtureName } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { CATALOG, type CatalogCase } from './catalog.js';
import type { Resource } from '@drift-detective/resource-model';
import { must, nativeFixture, nativeFixtureNames, scan } from './helpers.js';

const FIREWALL = 'compute.googleapis.com/Firewall';
const FIREWALL_POLICY = 'compute.googleapis.com/FirewallPolicy';

/**
 * The resource a fixture is about: its first record's asset. The records after it are that
 * asset's IAM_POLICY, or the other firewall rules of a firewall's network, which are judged
 * with it.
 */
function subjectOf(file: string): Resource {
  const content = nativeFixture(file);
  const first = must((Array.isArray(content) ? content : [content])[0]) as { name: string };
  const { resources, errors } = scan([{ document: content, source: file }]);
  expect(errors, file).toEqual([]);
  return must(
    resources.find((r) => r.id === first.name),
    `${file}: the resource of ${first.name}`,
  );
}

/** The rules of the DESIGN.md catalog with a GCP column that can be violated. */
const GCP_RULES = [
  'DD-STORAGE-001',
  'DD-STORAGE-002',
  'DD-STORAGE-005',
  'DD-NET-001',
  'DD-NET-002',
  'DD-IAM-001',
  'DD-IAM-002',
  'DD-DB-001',
  'DD-KMS-001',
  'DD-COMPUTE-002',
  'DD-COMPUTE-003',
  'DD-COMPUTE-004',
  'DD-COMPUTE-005',
  'DD-DB-004',
  'DD-COMPUTE-006',
  'DD-COMPUTE-007',
  'DD-DB-005',
  'DD-DB-003',
  'DD-STORAGE-007',
  'DD-COMPUTE-009',
  'DD-APP-001',
  'DD-IAM-005',
  'DD-IAM-006',
];

const filesOf = (c: CatalogCase) => [c.violating, c.compliant, ...(c.more ?? [])];

/** What a fixture's name says it is for its rule: violating (true) or compliant (false). */
function violatingByName(c: CatalogCase, file: string): boolean {
  const named = catalogFixtureName(file);
  if (named?.ruleId !== c.rule) throw new Error(`${file} is not named as a case of ${c.rule}`);
  return named.violating;
}

describe('catalog fixtures (test/fixtures/native/dd-*.json)', () => {
  it('has one violating fixture and one compliant twin for every GCP rule, named after it', () => {
    expect(CATALOG.map((c) => c.rule)).toEqual(GCP_RULES);
    const files = nativeFixtureNames().filter((f) => f.startsWith('dd-'));
    expect(files.sort()).toEqual(CATALOG.flatMap(filesOf).sort());
    for (const c of CATALOG) {
      expect(c.violating.startsWith(`${c.rule.toLowerCase()}-violating-`)).toBe(true);
      expect(c.compliant.startsWith(`${c.rule.toLowerCase()}-compliant-`)).toBe(true);
      for (const file of c.more ?? []) expect(() => violatingByName(c, file)).not.toThrow();
    }
  });

  it('holds one export record per file, [RESOURCE, IAM_POLICY] of one asset, or a firewall rule with the other rules of its network and the firewall policies above it', () => {
    for (const c of CATALOG) {
      for (const file of filesOf(c)) {
        const content = nativeFixture(file);
        const records = (Array.isArray(content) ? content : [content]) as Record<string, unknown>[];
        for (const record of records) expect(record, file).toHaveProperty('asset_type');
        const firewallFixture =
          records[0]?.['asset_type'] === FIREWALL &&
          records.every((record) =>
            [FIREWALL, FIREWALL_POLICY].includes(String(record['asset_type'])),
          );
        if (firewallFixture) {
          const network = (record: Record<string, unknown>) =>
            String((record['resource'] as { data: { network: string } }).data.network);
          for (const record of records.filter((r) => r['asset_type'] === FIREWALL)) {
            expect(network(record), file).toMatch(/projects\/dd-fixtures-prod\/global\/networks\//);
          }
        } else if (Array.isArray(content)) {
          expect(content, file).toHaveLength(2);
          expect(records[0], file).toHaveProperty('resource');
          expect(records[1], file).toHaveProperty('iam_policy');
          expect(must(records[1])['name'], file).toBe(must(records[0])['name']);
        }
      }
    }
  });

  it.each(CATALOG)('$rule: the violating fixture violates, its twin complies', (c) => {
    const violating = subjectOf(c.violating);
    const compliant = subjectOf(c.compliant);
    for (const resource of [violating, compliant]) {
      assertValidResource(resource);
      expect(resource.kind).toBe(c.kind);
    }
    expect(c.verdict(violating)).toBe(true);
    expect(c.verdict(compliant)).toBe(false);
    // Twins: the same asset.
    expect(compliant.id).toBe(violating.id);
    for (const file of c.more ?? []) {
      const resource = subjectOf(file);
      assertValidResource(resource);
      expect(resource.id, file).toBe(violating.id);
      expect(c.verdict(resource), file).toBe(violatingByName(c, file));
    }
  });

  it.each(CATALOG)('$rule: the datums of the violating fixture exist', (c) => {
    for (const datum of c.datums) {
      let value: unknown = nativeFixture(c.violating);
      for (const step of datum) value = (value as Record<string | number, unknown>)[step];
      expect(value, datum.join('.')).toBeDefined();
    }
  });
});
