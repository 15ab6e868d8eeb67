import { readFile } from 'node:fs/promises';
import { readBundleDir, type RuleMetadata } from '@drift-detective/policy-engine';
import { builtPolicyDir } from '@drift-detective/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  coverageFile,
  coverageMarkdown,
  frameworksDir,
  parseBenchmark,
  readBenchmarks,
  statusOf,
  testedClouds,
  type Benchmark,
} from '../scripts/coverage.js';
import { catalogFixtures, type CatalogFixture } from '../scripts/policy-catalog.js';

let benchmarks: Benchmark[];
let rules: readonly RuleMetadata[];
let fixtures: CatalogFixture[];

beforeAll(async () => {
  benchmarks = await readBenchmarks(frameworksDir);
  rules = (await readBundleDir(builtPolicyDir)).manifest.rules;
  fixtures = await catalogFixtures();
});

describe('docs/coverage.md', () => {
  it('is what the control lists and the METADATA give today (run scripts/write-coverage.ts)', async () => {
    expect(await readFile(coverageFile, 'utf8')).toBe(coverageMarkdown(benchmarks, rules));
  });

  it('names only controls the benchmark has, and none it says the inventory cannot see', () => {
    expect(benchmarks.map((b) => b.framework)).toContain('cis-aws-3.0');
    for (const b of benchmarks) {
      const controls = new Map(b.controls.map((c) => [c.id, c]));
      for (const rule of rules) {
        for (const id of rule.frameworks[b.framework] ?? []) {
          const control = controls.get(id);
          expect(control, `${rule.id} names ${b.framework} ${id}`).toBeDefined();
          expect(control?.observable, `${rule.id}: ${b.framework} ${id} is unobservable`).toBe(
            true,
          );
        }
      }
    }
  });

  it("covers a control only with rules tested on the benchmark's cloud, both ways", () => {
    for (const b of benchmarks) {
      for (const control of b.controls) {
        const status = statusOf(b, control, rules);
        if (status.kind !== 'covered') continue;
        for (const ruleId of status.rules) {
          expect(
            testedClouds(ruleId, fixtures),
            `${b.framework} ${control.id}: ${ruleId}`,
          ).toContain(b.provider);
        }
      }
    }
  });
});

describe('a control list', () => {
  const list = (rows: string) =>
    `# CIS Test Benchmark v1.0.0: controls\nid\ttitle\tobservable\treason\n${rows}`;

  it('reads each control, the benchmark name from the first comment, the cloud from the key', () => {
    const b = parseBenchmark(
      'cis-gcp-9.9',
      list('1.1\tEnsure a thing\tyes\t\n1.2\tEnsure another\tno\tnot in the export\n'),
    );
    expect(b).toEqual({
      framework: 'cis-gcp-9.9',
      provider: 'gcp',
      name: 'CIS Test Benchmark v1.0.0',
      controls: [
        { id: '1.1', title: 'Ensure a thing', observable: true, reason: '' },
        { id: '1.2', title: 'Ensure another', observable: false, reason: 'not in the export' },
      ],
    });
  });

  it('is refused when a row is malformed or an unobservable control has no reason', () => {
    expect(() => parseBenchmark('cis-aws-1.0', list('1.1\tEnsure\tmaybe\t\n'))).toThrow(
      /row 1: expected id, title, yes\|no, reason/,
    );
    expect(() => parseBenchmark('cis-aws-1.0', list('1.1\tEnsure\tno\t\n'))).toThrow(
      /1\.1: an unobservable control needs its reason/,
    );
    expect(() => parseBenchmark('nist-800-53', list(''))).toThrow(/not a cis-<cloud>-<version>/);
  });

  it('gives each status: covered by the rules naming it, else unobservable or planned', () => {
    const b = parseBenchmark(
      'cis-aws-1.0',
      list('1.1\tA\tyes\t\n1.2\tB\tno\tnot recorded\n1.3\tC\tyes\t\n'),
    );
    const rule = (id: string, controls: string[]): RuleMetadata => ({
      id,
      package: `drift.rules.${id}`,
      title: id,
      description: '',
      severity: 'LOW',
      kinds: [],
      frameworks: { 'cis-aws-1.0': controls },
      remediation: {},
    });
    const metadata = [rule('DD-B', ['1.1']), rule('DD-A', ['1.1'])];
    expect(b.controls.map((c) => statusOf(b, c, metadata))).toEqual([
      { kind: 'covered', rules: ['DD-A', 'DD-B'] },
      { kind: 'unobservable', reason: 'not recorded' },
      { kind: 'planned' },
    ]);
    expect(coverageMarkdown([b], metadata)).toContain(
      '| CIS Test Benchmark v1.0.0 (`cis-aws-1.0`) | 3 | 2 | 1 | 50 % |',
    );
  });
});
