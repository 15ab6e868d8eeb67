import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from '../paths.js';
import { run, ToolError } from '../process.js';

/**
 * The Node.js lines the project supports and tests: 22 LTS, pinned in .nvmrc
 * (the baseline every step of `make` runs on, and the Lambda runtime's line,
 * nodejs22.x), and the current LTS, 24, pinned in tools/node-current-lts, on which the test
 * command runs the suite again. Both are installed from the npm registry, where each release
 * is published as node-<platform>-<arch>, into tools/.node/<version> — the
 * layout tools/bootstrap/node.sh uses too.
 */
export const NODE_BASELINE_VERSION = readFileSync(
  path.join(workspaceRoot, '.nvmrc'),
  'utf8',
).trim();
export const NODE_CURRENT_LTS_VERSION = readFileSync(
  path.join(workspaceRoot, 'tools', 'node-current-lts'),
  'utf8',
).trim();

export const nodeInstallRoot = path.join(workspaceRoot, 'tools', '.node');

export function nodePackage(platform = process.platform, arch = process.arch): string {
  return `node-${platform}-${arch}`;
}

export function installedNodeBinary(version: string): string {
  return path.join(nodeInstallRoot, version, 'node_modules', nodePackage(), 'bin', 'node');
}

/** Installs Node `version` from the npm registry unless it is already there; returns its binary. */
export async function ensureNode(
  version: string,
  purpose: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string> {
  const binary = installedNodeBinary(version);
  if (existsSync(binary)) {
    const answer = await run(binary, ['--version']);
    if (answer.stdout.trim() === `v${version}`) return binary;
  }
  log(`installing Node.js ${version} ${purpose} (first run only)…`);
  const npm = await run('npm', [
    'install',
    '--prefix',
    path.join(nodeInstallRoot, version),
    '--no-package-lock',
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    `${nodePackage()}@${version}`,
  ]);
  if (npm.code !== 0 || !existsSync(binary)) {
    throw new ToolError(`npm install ${nodePackage()}@${version} failed:\n${npm.stderr.trim()}`);
  }
  return binary;
}

/**
 * The Node 22 the Lambda bundle tests run on: LAMBDA_NODE_BIN when set, the
 * running Node when it is of the 22 line, else the pinned one.
 */
export async function ensureLambdaNode(log?: (line: string) => void): Promise<string> {
  const override = process.env['LAMBDA_NODE_BIN'];
  if (override) {
    if (!existsSync(override)) throw new ToolError(`LAMBDA_NODE_BIN=${override} does not exist`);
    return override;
  }
  if (process.versions.node.split('.')[0] === NODE_BASELINE_VERSION.split('.')[0]) {
    return process.execPath;
  }
  return ensureNode(NODE_BASELINE_VERSION, 'for the Lambda bundle tests', log);
}

/** The current LTS the test command runs the suite on again: NODE_LTS_BIN when set. */
export async function ensureCurrentLtsNode(log?: (line: string) => void): Promise<string> {
  const override = process.env['NODE_LTS_BIN'];
  if (override) {
    if (!existsSync(override)) throw new ToolError(`NODE_LTS_BIN=${override} does not exist`);
    return override;
  }
  return ensureNode(NODE_CURRENT_LTS_VERSION, 'to run the tests on the current LTS', log);
}
