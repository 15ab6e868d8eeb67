import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RuleMetadata } from '@drift-detective/policy-engine';
import { ToolError } from '../process.js';
import { DISPATCH_COMMAND, DISPATCH_FILE, renderDispatch } from './dispatch.js';

export { DISPATCH_FILE };

/** Writes policies/dispatch.rego for `rules`; returns whether it changed. */
export async function writeDispatch(
  sourceDir: string,
  rules: readonly RuleMetadata[],
): Promise<boolean> {
  const wanted = renderDispatch(rules);
  const { file, current } = await currentDispatch(sourceDir);
  if (current === wanted) return false;
  await writeFile(file, wanted);
  return true;
}

/** The dispatch file of a policy tree and its text, null when there is none. */
async function currentDispatch(sourceDir: string) {
  const file = path.join(sourceDir, DISPATCH_FILE);
  return { file, current: await readFile(file, 'utf8').catch(() => null) };
}

/**
 * Fails the build when dispatch.rego does not select exactly the rules the
 * METADATA says: a rule missing from it would never run, and no test of
 * drift.main would notice.
 */
export async function assertDispatchCurrent(
  sourceDir: string,
  rules: readonly RuleMetadata[],
): Promise<void> {
  const { file, current } = await currentDispatch(sourceDir);
  if (current === renderDispatch(rules)) return;
  throw new ToolError(
    `${path.relative(process.cwd(), file) || file} ${current === null ? 'is missing' : 'is stale'}: ` +
      `it must select each rule by the kinds its METADATA lists. Run ${DISPATCH_COMMAND}.`,
  );
}
