import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTool } from '../toolchain/ensure.js';
import { OPA } from '../toolchain/go-tools.js';
import { bundleCoverage, isPolicyTestFile, runPolicyTests, summarizeResults } from './opa-test.js';
import { existingSources, TEST_SOURCES } from '../policy-build/build.js';
import { policyTreeWith } from '../../test/policy-tree.js';

describe('policy test results', () => {
  it('counts passes, failures and skips', () => {
    const summary = summarizeResults([
      { package: 'p', name: 'test_a' },
      { package: 'p', name: 'test_b', fail: true, location: { file: 'x.rego', row: 3 } },
      { package: 'p', name: 'test_c', error: { code: 'eval_conflict_error' } },
      { package: 'p', name: 'todo_test_d', skip: true },
    ]);
    expect(summary).toMatchObject({ passed: 1, failed: 2, skipped: 1 });
    expect(summary.failures[0]).toBe('x.rego:3 p.test_b');
    expect(summary.failures[1]).toContain('eval_conflict_error');
  });

  it('measures coverage of shipped Rego only', () => {
    const result = bundleCoverage(
      {
        files: {
          'policies/common/a.rego': { covered_lines: 9, not_covered_lines: 1 },
          'policies/common/a_test.rego': { covered_lines: 0, not_covered_lines: 50 },
          [path.join('policies', 'test', 'fixtures.rego')]: {
            covered_lines: 0,
            not_covered_lines: 50,
          },
        },
      },
      isPolicyTestFile,
    );
    expect(result.coverage).toBe(90);
    expect(result.uncovered).toEqual(['policies/common/a.rego: 1 line(s) not covered']);
  });

  it('reports a failing Rego test, without a coverage figure', async () => {
    const opa = await ensureTool(OPA, () => undefined);
    const tree = await policyTreeWith({
      'common/storage/broken_test.rego': `package drift.rules.storage.broken_test

test_that_fails if {
\t1 == 2
}
`,
    });
    const report = await runPolicyTests(opa.path, existingSources(tree, TEST_SOURCES));
    expect(report.failed).toBe(1);
    expect(report.failures[0]).toContain('test_that_fails');
    expect(report.passed).toBeGreaterThan(10);
    expect(report.coverage).toBeNull();
  });

  it('measures the uncovered lines of an untested rule', async () => {
    const opa = await ensureTool(OPA, () => undefined);
    const tree = await policyTreeWith({
      // A helper nobody calls: it adds uncovered lines without changing the rule set.
      'lib/untested.rego': `package drift.lib.untested

is_big(resource) if {
\tresource.kind == "storage.bucket"
\tresource.properties.size > 1000
}
`,
    });
    const report = await runPolicyTests(opa.path, existingSources(tree, TEST_SOURCES));
    expect(report.failed).toBe(0);
    expect(report.coverage).toBeLessThan(100);
    expect(report.uncovered.some((line) => line.includes('untested.rego'))).toBe(true);
  });
});
