// The policies project's test, lint and typecheck targets:
//   tsx tools/src/policy-tasks/main.ts test|lint|typecheck
import { mkdir, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { policiesDir, reportsDir } from '../paths.js';
import { run, runMain, ToolError } from '../process.js';
import { ensureTool } from '../toolchain/ensure.js';
import { OPA, REGAL } from '../toolchain/go-tools.js';
import { existingSources, TEST_SOURCES } from '../policy-build/build.js';
import { sdkCapabilities } from '../policy-build/capabilities.js';
import { writeDispatch } from '../policy-build/dispatch-file.js';
import { inspectRules } from '../policy-build/inspect.js';
import { runPolicyTests } from './opa-test.js';

/** The policy test target fails below this line coverage of the shipped Rego. */
export const COVERAGE_THRESHOLD = 90;

async function test(): Promise<void> {
  const opa = await ensureTool(OPA);
  const report = await runPolicyTests(opa.path, existingSources(policiesDir, TEST_SOURCES));
  await mkdir(path.join(reportsDir, 'opa'), { recursive: true });
  await writeFile(
    path.join(reportsDir, 'opa', 'policies.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  for (const failure of report.failures) process.stdout.write(`FAIL ${failure}\n`);
  for (const line of report.uncovered) process.stdout.write(`uncovered: ${line}\n`);
  const coverage = report.coverage === null ? 'not measured' : `${report.coverage.toFixed(1)}%`;
  process.stdout.write(
    `opa test: ${report.passed} passed, ${report.failed} failed, coverage ${coverage}\n`,
  );
  if (report.failed > 0 || report.coverage === null) {
    throw new ToolError(`${report.failed} policy test(s) failed`);
  }
  if (report.coverage < COVERAGE_THRESHOLD) {
    throw new ToolError(
      `policy coverage ${report.coverage.toFixed(1)}% is under ${COVERAGE_THRESHOLD}%`,
    );
  }
}

async function lint(): Promise<void> {
  const opa = await ensureTool(OPA);
  const fmt = await run(opa.path, ['fmt', '--list', '--fail', '--v1-compatible', policiesDir]);
  if (fmt.code !== 0) {
    throw new ToolError(
      `not opa-formatted (run: tools/bin/opa fmt -w policies):\n${fmt.stdout.trim()}${fmt.stderr.trim()}`,
    );
  }
  const regal = await ensureTool(REGAL);
  // Run from the policy folder so Regal finds policies/.regal/config.yaml.
  const lintRun = await run(regal.path, ['lint', '--format', 'compact', '.'], { cwd: policiesDir });
  if (lintRun.code !== 0)
    throw new ToolError(`regal lint:\n${lintRun.stdout.trim()}${lintRun.stderr.trim()}`);
  process.stdout.write('opa fmt and regal lint: clean\n');
}

async function typecheck(): Promise<void> {
  const opa = await ensureTool(OPA);
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-caps-'));
  const capabilities = path.join(dir, 'capabilities.json');
  await writeFile(capabilities, JSON.stringify(await sdkCapabilities(opa.path)));
  const check = await run(opa.path, [
    'check',
    '--strict',
    '--v1-compatible',
    '--capabilities',
    capabilities,
    ...existingSources(policiesDir, TEST_SOURCES),
  ]);
  if (check.code !== 0)
    throw new ToolError(`opa check --strict:\n${check.stderr.trim()}${check.stdout.trim()}`);
  process.stdout.write('opa check --strict: clean\n');
}

/** Rewrites policies/dispatch.rego from the rules' METADATA (custom.kinds). */
async function dispatch(): Promise<void> {
  const opa = await ensureTool(OPA);
  const rules = await inspectRules(opa.path, policiesDir);
  const changed = await writeDispatch(policiesDir, rules);
  process.stdout.write(`policies/dispatch.rego: ${changed ? 'rewritten' : 'already current'}\n`);
}

const tasks: Record<string, () => Promise<void>> = { test, lint, typecheck, dispatch };

await runMain(async () => {
  const name = process.argv[2] ?? '';
  const task = tasks[name];
  if (!task) throw new ToolError(`usage: policy-tasks ${Object.keys(tasks).join('|')}`);
  await task();
});
