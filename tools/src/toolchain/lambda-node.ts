import { existsSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from '../paths.js';
import { run, ToolError } from '../process.js';

/**
 * The Node.js line of the Lambda runtime the adapter bundle targets
 * (nodejs22.x, https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
 * Tests run the built bundle on it, so the one-file artifact is proven on the
 * runtime it ships to, not only on the Node that builds it.
 */
export const LAMBDA_NODE_VERSION = '22.23.3';

export const lambdaNodeDir = path.join(workspaceRoot, 'tools', '.lambda-node');

/** The npm registry publishes each Node release as node-<platform>-<arch>, the binary inside. */
export function lambdaNodePackage(platform = process.platform, arch = process.arch): string {
  return `node-${platform}-${arch}`;
}

/**
 * Returns a Node 22 binary: LAMBDA_NODE_BIN when set, otherwise
 * tools/.lambda-node/…/bin/node, installed from the npm registry only when
 * missing or another version.
 */
export async function ensureLambdaNode(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string> {
  const override = process.env['LAMBDA_NODE_BIN'];
  if (override) {
    if (!existsSync(override)) throw new ToolError(`LAMBDA_NODE_BIN=${override} does not exist`);
    return override;
  }
  const pkg = lambdaNodePackage();
  const binary = path.join(lambdaNodeDir, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(binary)) {
    const version = await run(binary, ['--version']);
    if (version.stdout.trim() === `v${LAMBDA_NODE_VERSION}`) return binary;
  }
  log(`installing Node ${LAMBDA_NODE_VERSION} for the Lambda bundle tests (first run only)…`);
  const npm = await run('npm', [
    'install',
    '--prefix',
    lambdaNodeDir,
    '--no-package-lock',
    '--no-save',
    '--no-audit',
    '--no-fund',
    `${pkg}@${LAMBDA_NODE_VERSION}`,
  ]);
  if (npm.code !== 0 || !existsSync(binary)) {
    throw new ToolError(
      `npm install ${pkg}@${LAMBDA_NODE_VERSION} failed (set LAMBDA_NODE_BIN to a Node 22 binary instead):\n${npm.stderr.trim()}`,
    );
  }
  return binary;
}
