import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The Node.js binary of the Lambda runtime line (22) that the toolchain
 * bootstrap installs (tools/src/toolchain/lambda-node.ts); LAMBDA_NODE_BIN
 * overrides it. Tests run what ships to Lambda on it.
 */
export function lambdaNodeBinary(): string {
  const binary =
    process.env['LAMBDA_NODE_BIN'] ??
    path.resolve(
      import.meta.dirname,
      '..',
      '..',
      '..',
      'tools',
      '.lambda-node',
      'node_modules',
      `node-${process.platform}-${process.arch}`,
      'bin',
      'node',
    );
  if (!existsSync(binary)) {
    throw new Error(
      `the Lambda runtime's Node is not at ${binary}: run \`make test\` (it installs it) or set LAMBDA_NODE_BIN`,
    );
  }
  return binary;
}
