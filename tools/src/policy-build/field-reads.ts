import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { run, ToolError } from '../process.js';

/**
 * Builtins that read a whole value or its keys, whatever its fields are
 * called: a policy calling one may reach any field without naming it.
 */
const WHOLE_VALUE_BUILTINS = new Set([
  'walk',
  'json.marshal',
  'json.marshal_with_options',
  'yaml.marshal',
  'json.filter',
  'json.remove',
  'object.filter',
  'object.keys',
  'object.remove',
  'object.subset',
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

/**
 * The strings a parsed module (opa parse --format json, its comments left
 * out) names as terms, where `x.native`, `x["native"]` and
 * object.get(x, "native", …) all name "native"; or `everything` when it calls
 * a builtin that may read fields it does not name.
 */
function namedStrings(ast: unknown): Set<string> | 'everything' {
  const named = new Set<string>();
  const pending: unknown[] = [ast];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const { type, value } = node as { type?: unknown; value?: unknown };
    if (type === 'string' && typeof value === 'string') named.add(value);
    if (type === 'ref' && Array.isArray(value) && WHOLE_VALUE_BUILTINS.has(refName(value)))
      return 'everything';
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'comments' && key !== 'annotations') pending.push(child);
    }
  }
  return named;
}

/**
 * The fields of `candidates` (the normalized resource's top-level fields) that
 * no rule of the bundle names: the engine leaves them out of the policy's
 * input, and the policy parses fewer bytes per evaluation (`native`, the
 * decoded native configuration, is most of a resource). Decided from the
 * parsed Rego, not its text, so comments and strings in tests do not count.
 * A rule cannot read a field it does not name, unless it walks, marshals or
 * lists the keys of a whole value: then nothing is left out. Not seen here: a
 * rule iterating the resource's keys (`some k, v in input.resource`), counting
 * them or comparing the whole object; without types the parse cannot tell the
 * resource from an array or a set. The reference evaluation is given the whole
 * resource, and the catalog and corpus tests compare every case with it.
 */
export async function unreadFields(
  opaPath: string,
  sources: readonly string[],
  candidates: readonly string[],
): Promise<string[]> {
  const named = new Set<string>();
  for (const file of await regoFiles(sources)) {
    const parsed = await run(opaPath, ['parse', '--format', 'json', '--v1-compatible', file]);
    if (parsed.code !== 0) {
      throw new ToolError(`opa parse ${file} failed: ${`${parsed.stdout}${parsed.stderr}`.trim()}`);
    }
    const { comments: _comments, ...module } = JSON.parse(parsed.stdout) as Record<string, unknown>;
    const strings = namedStrings(module);
    if (strings === 'everything') return [];
    for (const value of strings) named.add(value);
  }
  return candidates.filter((field) => !named.has(field));
}
