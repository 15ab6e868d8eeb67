// Adds up the reports every test runner wrote under reports/ and prints the
// total as the last line: "N passed, N failed".
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { reportsDir } from './paths.js';

export interface RunnerTotals {
  readonly runner: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Vitest's JSON reporter (Jest-compatible counts). */
export function vitestTotals(name: string, report: Record<string, unknown>): RunnerTotals {
  const n = (key: string) => (typeof report[key] === 'number' ? (report[key] as number) : 0);
  return {
    runner: `vitest ${name}`,
    passed: n('numPassedTests'),
    // A suite that failed to load has no failed test but must not pass unseen.
    failed: n('numFailedTests') + n('numRuntimeErrorTestSuites'),
    skipped: n('numPendingTests') + n('numTodoTests'),
  };
}

/** The report tools/src/policy-tasks writes for `opa test`. */
export function opaTotals(name: string, report: Record<string, unknown>): RunnerTotals {
  const n = (key: string) => (typeof report[key] === 'number' ? (report[key] as number) : 0);
  return {
    runner: `opa test ${name}`,
    passed: n('passed'),
    failed: n('failed'),
    skipped: n('skipped'),
  };
}

async function readReports(
  folder: string,
  totals: (name: string, report: Record<string, unknown>) => RunnerTotals,
): Promise<RunnerTotals[]> {
  const dir = path.join(reportsDir, folder);
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) =>
      totals(
        path.basename(file, '.json'),
        JSON.parse(await readFile(path.join(dir, file), 'utf8')),
      ),
    ),
  );
}

const runners = [
  ...(await readReports('vitest', vitestTotals)),
  ...(await readReports('opa', opaTotals)),
];
for (const r of runners) {
  process.stdout.write(
    `${r.runner}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped\n`,
  );
}
const passed = runners.reduce((sum, r) => sum + r.passed, 0);
const failed = runners.reduce((sum, r) => sum + r.failed, 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
