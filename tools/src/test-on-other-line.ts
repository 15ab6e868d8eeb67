#!/usr/bin/env -S npx tsx
// Runs one project's Vitest suite again on the other supported Node.js line:
// the current LTS (24) when the test command runs on the 22 baseline, the
// baseline when it runs on 24. Its report is written beside the main run's,
// as reports/vitest/<project>@node<major>.json, so the summary counts both.
//   usage: tsx tools/src/test-on-other-line.ts <projectRoot> <projectName>
import path from 'node:path';
import { spawn } from 'node:child_process';
import { workspaceRoot } from './paths.js';
import { runMain, ToolError } from './process.js';
import {
  ensureCurrentLtsNode,
  ensureLambdaNode,
  NODE_BASELINE_VERSION,
  NODE_CURRENT_LTS_VERSION,
  ensureNode,
} from './toolchain/node-lines.js';

const major = (version: string) => version.split('.')[0] ?? '';

await runMain(async () => {
  const [projectRoot, projectName] = process.argv.slice(2);
  if (!projectRoot || !projectName) {
    throw new ToolError('usage: test-on-other-line.ts <projectRoot> <projectName>');
  }
  const onLts = major(process.versions.node) === major(NODE_CURRENT_LTS_VERSION);
  const node = onLts
    ? await ensureNode(NODE_BASELINE_VERSION, 'to run the tests on the baseline')
    : await ensureCurrentLtsNode();
  const line = major(onLts ? NODE_BASELINE_VERSION : NODE_CURRENT_LTS_VERSION);
  const vitest = path.join(workspaceRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const child = spawn(
    node,
    [vitest, 'run', '--config', path.join(workspaceRoot, projectRoot, 'vitest.config.ts')],
    {
      cwd: workspaceRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        // The main run's Node built the native addons; this line may not load them.
        DRIFT_TEST_RUN: `node${line}`,
        DRIFT_VITEST_REPORT: `${projectName}@node${line}`,
        // On 24 the Node just ensured is the baseline, the Lambda runtime's line.
        LAMBDA_NODE_BIN: onLts ? node : await ensureLambdaNode(),
      },
    },
  );
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new ToolError(`${projectName} failed on Node.js ${line} (exit ${code})`);
});
