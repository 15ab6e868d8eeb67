import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { run, ToolError } from '../process.js';
import path from 'node:path';

/** One builtin declaration as OPA's capabilities files write it. */
export interface BuiltinDecl {
  readonly name: string;
  readonly decl?: unknown;
  readonly [key: string]: unknown;
}

export interface Capabilities {
  readonly builtins: readonly BuiltinDecl[];
  readonly [key: string]: unknown;
}

/**
 * Builtins that never reach the wasm runtime: OPA's compiler replaces calls to
 * them with the annotation values of the calling rule before planning
 * (ast/compile.go, rewriteRegoMetadataCalls). Rule packages use them to read
 * their own `custom.id`, so the id is written once, in the METADATA block.
 */
export const COMPILE_TIME_BUILTINS: readonly string[] = [
  'rego.metadata.chain',
  'rego.metadata.rule',
];

const require = createRequire(import.meta.url);

/** The folder of the installed @open-policy-agent/opa-wasm package. */
export function opaWasmPackageDir(): string {
  // The package's export map exposes only ".", which resolves to src/index.cjs.
  return path.resolve(path.dirname(require.resolve('@open-policy-agent/opa-wasm')), '..');
}

/**
 * What the JS SDK can evaluate: the builtins named by the capabilities.json it
 * ships (compiled into the wasm module or provided by the SDK), plus the ones
 * its JavaScript implements for the host side (src/builtins), which that file
 * does not always list (regex.split in 1.10.0).
 */
export async function sdkBuiltinNames(packageDir = opaWasmPackageDir()): Promise<Set<string>> {
  const shipped = JSON.parse(
    await readFile(path.join(packageDir, 'capabilities.json'), 'utf8'),
  ) as Capabilities;
  const jsBuiltins = require(path.join(packageDir, 'src', 'builtins', 'index.js')) as Record<
    string,
    unknown
  >;
  return new Set([...shipped.builtins.map((b) => b.name), ...Object.keys(jsBuiltins)]);
}

/**
 * Narrows the capabilities of the pinned OPA (`opa capabilities --current`) to
 * the builtins the JS wasm SDK implements, keeping OPA's features and keywords
 * so Rego v1 still parses. A policy that calls anything else fails `opa build`
 * with "undefined function <name>".
 */
export function restrictCapabilities(
  opaCurrent: Capabilities,
  allowed: ReadonlySet<string>,
): Capabilities {
  const known = new Set(opaCurrent.builtins.map((b) => b.name));
  const unknown = [...allowed].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    // The SDK implements something this OPA does not know: the two are out of step.
    throw new Error(
      `@open-policy-agent/opa-wasm implements builtins the pinned OPA does not declare: ${unknown.join(', ')}`,
    );
  }
  const keep = new Set([...allowed, ...COMPILE_TIME_BUILTINS]);
  return { ...opaCurrent, builtins: opaCurrent.builtins.filter((b) => keep.has(b.name)) };
}

/** The pinned OPA's own capabilities (every builtin it knows). */
export async function opaCapabilities(opaPath: string): Promise<Capabilities> {
  const current = await run(opaPath, ['capabilities', '--current']);
  if (current.code !== 0) throw new ToolError(`opa capabilities failed: ${current.stderr.trim()}`);
  return JSON.parse(current.stdout) as Capabilities;
}

/** The capabilities every policy command runs with: OPA's, limited to what the JS SDK runs. */
export async function sdkCapabilities(opaPath: string): Promise<Capabilities> {
  return restrictCapabilities(await opaCapabilities(opaPath), await sdkBuiltinNames());
}
