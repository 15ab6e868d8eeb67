import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const workspaceRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** Where the toolchain (tools/src/toolchain/node-lines.ts) installs a Node release. */
function installedNode(version: string): string {
  return path.join(
    workspaceRoot,
    'tools',
    '.node',
    version,
    'node_modules',
    `node-${process.platform}-${process.arch}`,
    'bin',
    'node',
  );
}

/**
 * The Node.js binary of the Lambda runtime line (22) that tests run what
 * ships to Lambda on: LAMBDA_NODE_BIN when set, the running Node when it is
 * of that line, else the pinned release (.nvmrc) the toolchain installs.
 */
export function lambdaNodeBinary(): string {
  const pinned = readFileSync(path.join(workspaceRoot, '.nvmrc'), 'utf8').trim();
  const override = process.env['LAMBDA_NODE_BIN'];
  if (override) return override;
  if (process.versions.node.split('.')[0] === pinned.split('.')[0]) return process.execPath;
  const binary = installedNode(pinned);
  if (!existsSync(binary)) {
    throw new Error(
      `the Lambda runtime's Node is not at ${binary}: run \`make test\` (it installs it) or set LAMBDA_NODE_BIN`,
    );
  }
  return binary;
}

/** The current LTS release the test command also runs on, pinned where the toolchain reads it. */
export const CURRENT_LTS_NODE_VERSION = readFileSync(
  path.join(workspaceRoot, 'tools', 'node-current-lts'),
  'utf8',
).trim();

/**
 * A Node.js of another line than the one running the tests (another native
 * ABI): NODE_LTS_BIN when set, else the current LTS the toolchain installs,
 * or the baseline when the tests run on the current LTS themselves.
 */
export function otherNodeLineBinary(): string {
  const override = process.env['NODE_LTS_BIN'];
  const pinned = readFileSync(path.join(workspaceRoot, '.nvmrc'), 'utf8').trim();
  const runningMajor = process.versions.node.split('.')[0];
  const version =
    runningMajor === CURRENT_LTS_NODE_VERSION.split('.')[0] ? pinned : CURRENT_LTS_NODE_VERSION;
  const binary =
    override && version === CURRENT_LTS_NODE_VERSION ? override : installedNode(version);
  if (!existsSync(binary)) {
    throw new Error(`Node.js ${version} is not at ${binary}: run \`make test\` (it installs it)`);
  }
  return binary;
}
