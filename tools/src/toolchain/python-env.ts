import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { workspaceRoot } from '../paths.js';
import { run, ToolError } from '../process.js';

export const venvDir = path.join(workspaceRoot, 'tools', '.venv');
export const requirementsFile = path.join(workspaceRoot, 'tools', 'python', 'requirements.txt');
/** What the venv was last built from: rebuilt when requirements.txt changes. */
const stampFile = path.join(venvDir, '.requirements');

const PYTHON_MISSING =
  'Python 3.10 or newer was not found as python3. The AWS integration tests run moto_server from PyPI: ' +
  'install Python 3 with its venv module (e.g. apt-get install python3 python3-venv), ' +
  'or point MOTO_SERVER_BIN at an existing moto_server.';

/**
 * Returns a moto_server binary: MOTO_SERVER_BIN when set, otherwise
 * tools/.venv/bin/moto_server, (re)installed with pip from
 * tools/python/requirements.txt only when missing or when the pins changed.
 */
export async function ensureMotoServer(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string> {
  const override = process.env['MOTO_SERVER_BIN'];
  if (override) {
    if (!existsSync(override)) throw new ToolError(`MOTO_SERVER_BIN=${override} does not exist`);
    return override;
  }
  const binary = path.join(venvDir, 'bin', 'moto_server');
  const wanted = await readFile(requirementsFile, 'utf8');
  if (
    existsSync(binary) &&
    existsSync(stampFile) &&
    (await readFile(stampFile, 'utf8')) === wanted
  ) {
    return binary;
  }
  log('installing moto_server and cfn-lint into tools/.venv (first run only)…');
  try {
    const venv = await run('python3', ['-m', 'venv', venvDir]);
    if (venv.code !== 0)
      throw new ToolError(`python3 -m venv failed:\n${venv.stderr.trim()}\n${PYTHON_MISSING}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolError(PYTHON_MISSING);
    throw error;
  }
  const pip = await run(path.join(venvDir, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '-r',
    requirementsFile,
  ]);
  if (pip.code !== 0)
    throw new ToolError(
      `pip install -r tools/python/requirements.txt failed:\n${pip.stderr.trim()}`,
    );
  if (!existsSync(binary)) throw new ToolError(`pip installed no ${binary}`);
  await writeFile(stampFile, wanted);
  return binary;
}

/** The cfn-lint installed beside moto_server (same requirements file, same venv). */
export function cfnLintBinary(): string {
  return process.env['CFN_LINT_BIN'] ?? path.join(venvDir, 'bin', 'cfn-lint');
}

/** Installs the pinned Python tools when needed: moto_server and cfn-lint. */
export async function ensurePythonTools(
  log?: (line: string) => void,
): Promise<{ motoServer: string; cfnLint: string }> {
  const motoServer = await ensureMotoServer(log);
  const cfnLint = cfnLintBinary();
  if (!existsSync(cfnLint)) {
    throw new ToolError(
      `${cfnLint} does not exist: set CFN_LINT_BIN or let the toolchain install tools/python/requirements.txt`,
    );
  }
  return { motoServer, cfnLint };
}
