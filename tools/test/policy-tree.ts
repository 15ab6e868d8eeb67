import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { policiesDir } from '../src/paths.js';
import { ToolError } from '../src/process.js';
import { writeDispatch } from '../src/policy-build/dispatch-file.js';
import { inspectRules } from '../src/policy-build/inspect.js';
import { ensureTool } from '../src/toolchain/ensure.js';
import { OPA } from '../src/toolchain/go-tools.js';

export const quiet = () => undefined;

/**
 * A private copy of the real policy tree, with extra Rego files written into
 * it and dispatch.rego rewritten for them, as a contributor would (unless
 * `keepDispatch`). A tree whose METADATA is broken keeps the old dispatch:
 * the build then fails on the METADATA, which is what such tests look at.
 */
export async function policyTreeWith(
  extra: Record<string, string> = {},
  { keepDispatch = false } = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-policies-'));
  await cp(policiesDir, dir, { recursive: true });
  for (const [file, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  if (Object.keys(extra).length > 0 && !keepDispatch) {
    const opa = await ensureTool(OPA, quiet);
    try {
      await writeDispatch(dir, await inspectRules(opa.path, dir));
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
    }
  }
  return dir;
}

/** METADATA for a throwaway rule package. */
export function metadata(id: string): string {
  return `# METADATA
# title: Test rule ${id}
# custom:
#   id: ${id}
#   severity: LOW
#   kinds: [storage.bucket]
#   frameworks: {}
#   remediation: Nothing to do.
`;
}
