import path from 'node:path';
import { goToolsDir } from '../paths.js';

/** A Go command the project builds from a pinned module in `tools/go/<name>`. */
export interface GoTool {
  /** Binary name, also the folder under tools/go. */
  readonly name: 'opa' | 'regal' | 'actionlint';
  /** The Go module that is pinned in tools/go/<name>/go.mod. */
  readonly modulePath: string;
  /** The Go package that holds `main`. */
  readonly packagePath: string;
  /** Environment variable that points at a binary to use instead of building one. */
  readonly overrideEnv: string;
}

export const OPA: GoTool = {
  name: 'opa',
  modulePath: 'github.com/open-policy-agent/opa',
  packagePath: 'github.com/open-policy-agent/opa',
  overrideEnv: 'OPA_BIN',
};

export const REGAL: GoTool = {
  name: 'regal',
  modulePath: 'github.com/styrainc/regal',
  packagePath: 'github.com/styrainc/regal',
  overrideEnv: 'REGAL_BIN',
};

/** Checks the GitHub Actions workflows (.github/workflows) in the test command. */
export const ACTIONLINT: GoTool = {
  name: 'actionlint',
  modulePath: 'github.com/rhysd/actionlint',
  packagePath: 'github.com/rhysd/actionlint/cmd/actionlint',
  overrideEnv: 'ACTIONLINT_BIN',
};

export const GO_TOOLS: readonly GoTool[] = [OPA, REGAL, ACTIONLINT];

export function moduleDir(tool: GoTool): string {
  return path.join(goToolsDir, tool.name);
}

/**
 * Reads the pinned version from the tool module's go.mod (`require <module> vX.Y.Z`),
 * so go.mod stays the single place the version is written.
 */
export function pinnedVersion(tool: GoTool, goMod: string): string {
  const escaped = tool.modulePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) {
    throw new Error(`tools/go/${tool.name}/go.mod does not require ${tool.modulePath}`);
  }
  return match[1];
}

/**
 * Reads the main module version out of `go version -m <binary>` output, whose
 * lines look like "\tmod\tgithub.com/open-policy-agent/opa\tv1.22.3\th1:…".
 */
export function builtVersion(tool: GoTool, goVersionOutput: string): string | undefined {
  for (const line of goVersionOutput.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'mod' && fields[1] === tool.modulePath) return fields[2];
    // A binary built inside the tool module records it as the main module and
    // the tool package as a dependency.
    if (fields[0] === 'dep' && fields[1] === tool.modulePath) return fields[2];
  }
  return undefined;
}
