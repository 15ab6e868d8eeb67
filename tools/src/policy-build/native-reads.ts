import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { run, ToolError } from '../process.js';

/**
 * Builtins that read a whole value, whatever its fields are called: a policy
 * calling one may reach `native` without naming it.
 */
const WHOLE_VALUE_BUILTINS = new Set([
  'walk',
  'json.marshal',
  'json.marshal_with_options',
  'yaml.marshal',
]);

/** The Rego files of the bundle's sources, test files left out. */
async function regoFiles(sources: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const source of sources) {
    if (source.endsWith('.rego')) {
      files.push(source);
      continue;
    }
    for (const entry of await readdir(source, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.rego') && !entry.name.endsWith('_test.rego')) {
        files.push(path.join(entry.parentPath, entry.name));
      }
    }
  }
  return files.sort();
}

/** A builtin's name from a call's ref terms: walk, json.marshal, … */
function refName(terms: readonly unknown[]): string {
  return terms
    .map((term) => (term as { value?: unknown }).value)
    .filter((value): value is string => typeof value === 'string')
    .join('.');
}

/** Whether a parsed module (opa parse --format json, its comments left out) can read `native`. */
export function moduleReadsNative(ast: unknown): boolean {
  const pending: unknown[] = [ast];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const { type, value } = node as { type?: unknown; value?: unknown };
    // `x.native`, `x["native"]`, object.get(x, "native", …): the field named as a string term.
    if (type === 'string' && value === 'native') return true;
    if (type === 'ref' && Array.isArray(value) && WHOLE_VALUE_BUILTINS.has(refName(value)))
      return true;
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'comments' && key !== 'annotations') pending.push(child);
    }
  }
  return false;
}

/**
 * Whether any rule of the bundle may read `input.resource.native` (the
 * decoded native configuration, the biggest part of a resource). When none
 * can, the engine leaves it out of the input: the policy then parses a
 * fraction of the bytes per evaluation. Decided from the parsed Rego, not its
 * text, so comments and strings elsewhere do not count.
 */
export async function policyReadsNative(
  opaPath: string,
  sources: readonly string[],
): Promise<boolean> {
  for (const file of await regoFiles(sources)) {
    const parsed = await run(opaPath, ['parse', '--format', 'json', '--v1-compatible', file]);
    if (parsed.code !== 0) {
      throw new ToolError(`opa parse ${file} failed: ${`${parsed.stdout}${parsed.stderr}`.trim()}`);
    }
    const { comments: _comments, ...module } = JSON.parse(parsed.stdout) as Record<string, unknown>;
    if (moduleReadsNative(module)) return true;
  }
  return false;
}
