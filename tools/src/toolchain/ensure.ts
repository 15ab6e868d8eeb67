import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { run, ToolError } from '../process.js';
import { toolsBinDir } from '../paths.js';
import { builtVersion, moduleDir, pinnedVersion, type GoTool } from './go-tools.js';

export interface EnsuredTool {
  readonly path: string;
  readonly version: string;
  /** True when an *_BIN variable chose the binary. */
  readonly overridden: boolean;
  /** True when this call had to build it. */
  readonly built: boolean;
}

const GO_MISSING =
  'Go was not found on PATH. OPA, Regal and actionlint are built from the Go module proxy: ' +
  'install Go 1.26 or newer (https://go.dev/doc/install, or your package manager), ' +
  'or point OPA_BIN / REGAL_BIN / ACTIONLINT_BIN at existing binaries.';

async function goVersionOf(binary: string): Promise<string> {
  try {
    const result = await run('go', ['version', '-m', binary]);
    return result.code === 0 ? result.stdout : '';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolError(GO_MISSING);
    throw error;
  }
}

/**
 * Returns a usable binary for `tool`: the *_BIN override when set, otherwise
 * tools/bin/<name>, built with `go install` from the pinned module only when it
 * is missing or was built from another version.
 */
export async function ensureTool(
  tool: GoTool,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  binDir: string = toolsBinDir,
): Promise<EnsuredTool> {
  const override = process.env[tool.overrideEnv];
  const dir = moduleDir(tool);
  const pinned = pinnedVersion(tool, await readFile(path.join(dir, 'go.mod'), 'utf8'));
  if (override) {
    if (!existsSync(override)) {
      throw new ToolError(`${tool.overrideEnv}=${override} does not exist`);
    }
    return { path: override, version: 'override', overridden: true, built: false };
  }

  const binary = path.join(binDir, tool.name);
  if (existsSync(binary) && builtVersion(tool, await goVersionOf(binary)) === pinned) {
    return { path: binary, version: pinned, overridden: false, built: false };
  }

  log(`building ${tool.name} ${pinned} with go install (first run only)…`);
  await mkdir(binDir, { recursive: true });
  let result;
  try {
    result = await run('go', ['install', '-mod=readonly', tool.packagePath], {
      cwd: dir,
      // opa build -t wasm needs no cgo; a static binary also survives a libc change.
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0', GOFLAGS: '' },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolError(GO_MISSING);
    throw error;
  }
  if (result.code !== 0) {
    throw new ToolError(
      `go install ${tool.packagePath}@${pinned} failed (exit ${result.code}):\n${result.stderr.trim()}`,
    );
  }
  const version = builtVersion(tool, await goVersionOf(binary));
  if (version !== pinned) {
    throw new ToolError(
      `built ${binary} reports version ${version ?? 'unknown'}, expected ${pinned}`,
    );
  }
  return { path: binary, version: pinned, overridden: false, built: true };
}
