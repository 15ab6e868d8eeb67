import path from 'node:path';
import { run, ToolError } from '../process.js';

/** One entry of `opa test --format json`. */
interface OpaTestResult {
  readonly package: string;
  readonly name: string;
  readonly location?: { readonly file: string; readonly row: number };
  readonly fail?: boolean;
  readonly error?: unknown;
  readonly skip?: boolean;
}

/** `opa test --coverage --format json`: per file, counts of covered and uncovered lines. */
interface OpaCoverage {
  readonly files: Readonly<
    Record<string, { readonly covered_lines?: number; readonly not_covered_lines?: number }>
  >;
}

export interface PolicyTestReport {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly string[];
  /**
   * Line coverage of the bundle's Rego (tests and test fixtures excluded), in
   * percent; null when a test failed, because opa test then prints no coverage.
   */
  readonly coverage: number | null;
  readonly uncovered: readonly string[];
}

export function summarizeResults(results: readonly OpaTestResult[]) {
  const failures = results
    .filter((r) => r.fail || r.error)
    .map((r) => {
      const where = r.location ? `${r.location.file}:${r.location.row} ` : '';
      const why = r.error ? ` (${JSON.stringify(r.error)})` : '';
      return `${where}${r.package}.${r.name}${why}`;
    });
  const skipped = results.filter((r) => r.skip).length;
  return {
    passed: results.length - failures.length - skipped,
    failed: failures.length,
    skipped,
    failures,
  };
}

/** Coverage over the Rego that ships: not over the tests that exercise it. */
export function bundleCoverage(coverage: OpaCoverage, isTestFile: (file: string) => boolean) {
  let covered = 0;
  let total = 0;
  const uncovered: string[] = [];
  for (const [file, counts] of Object.entries(coverage.files)) {
    if (isTestFile(file)) continue;
    const c = counts.covered_lines ?? 0;
    const n = counts.not_covered_lines ?? 0;
    covered += c;
    total += c + n;
    if (n > 0) uncovered.push(`${file}: ${n} line(s) not covered`);
  }
  return { coverage: total === 0 ? 0 : (covered / total) * 100, uncovered };
}

export function isPolicyTestFile(file: string): boolean {
  return file.endsWith('_test.rego') || file.split(path.sep).includes('test');
}

export async function runPolicyTests(
  opaPath: string,
  sources: readonly string[],
): Promise<PolicyTestReport> {
  const tests = await run(opaPath, ['test', '--v1-compatible', '--format', 'json', ...sources]);
  // opa test exits 2 when a test fails and 1 on a compile error; only the latter lacks JSON.
  let results: OpaTestResult[];
  try {
    results = JSON.parse(tests.stdout) as OpaTestResult[];
  } catch {
    throw new ToolError(`opa test could not run:\n${tests.stderr.trim() || tests.stdout.trim()}`);
  }
  const summary = summarizeResults(results);
  if (summary.failed > 0) return { ...summary, coverage: null, uncovered: [] };
  const coverageRun = await run(opaPath, [
    'test',
    '--v1-compatible',
    '--coverage',
    '--format',
    'json',
    ...sources,
  ]);
  let coverage: OpaCoverage;
  try {
    coverage = JSON.parse(coverageRun.stdout) as OpaCoverage;
  } catch {
    throw new ToolError(`opa test --coverage could not run:\n${coverageRun.stderr.trim()}`);
  }
  return { ...summary, ...bundleCoverage(coverage, isPolicyTestFile) };
}
