// Lints CloudFormation templates with the pinned cfn-lint (tools/python/requirements.txt):
//   tsx tools/src/cfn-lint.ts TEMPLATE...
// cfn-lint's output is echoed as it comes; the exit code is cfn-lint's own, a bitmask
// (2 error, 4 warning, 8 informational; https://github.com/aws-cloudformation/cfn-lint#exit-codes),
// so a warning fails the lint as an error does.
import { existsSync } from 'node:fs';
import { run, runMain, ToolError } from './process.js';
import { cfnLintBinary } from './toolchain/python-env.js';

await runMain(async () => {
  const templates = process.argv.slice(2);
  if (templates.length === 0) throw new ToolError('usage: tsx tools/src/cfn-lint.ts TEMPLATE...');
  const binary = cfnLintBinary();
  if (!existsSync(binary)) {
    throw new ToolError(
      `cfn-lint not found at ${binary}: run \`npx tsx tools/src/toolchain/main.ts\` (it installs it) or set CFN_LINT_BIN`,
    );
  }
  const lint = await run(binary, ['--', ...templates], { echo: true });
  if (lint.code !== 0) {
    process.stderr.write(`cfn-lint failed (exit ${lint.code}) on ${templates.join(' ')}\n`);
  }
  process.exitCode = lint.code;
});
