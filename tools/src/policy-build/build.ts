import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ENTRYPOINTS,
  FRAMEWORKS_DIR,
  MANIFEST_FILE,
  MANIFEST_SCHEMA_VERSION,
  PolicyEngine,
  readTarGz,
  sha256Hex,
  WASM_FILE,
  type PolicyManifest,
} from '@drift-detective/policy-engine';
import { run, ToolError } from '../process.js';
import { ensureTool } from '../toolchain/ensure.js';
import { OPA } from '../toolchain/go-tools.js';
import { opaCapabilities, restrictCapabilities, sdkBuiltinNames } from './capabilities.js';
import { assertDispatchCurrent, DISPATCH_FILE } from './dispatch-file.js';
import { inspectRules } from './inspect.js';
import { RESOURCE_FIELDS } from '@drift-detective/resource-model';
import { unreadFields } from './field-reads.js';

export const BUNDLE_FILE = 'bundle.tar.gz';
export const CAPABILITIES_FILE = 'capabilities.json';

/** Folders and files of the policy tree that go into the bundle; tests and test fixtures stay out. */
export const BUNDLE_SOURCES = ['main.rego', DISPATCH_FILE, 'lib', 'common', 'aws', 'azure', 'gcp'];

/** Everything `opa test` and `opa check` read: the bundle sources plus the test-only Rego. */
export const TEST_SOURCES = [...BUNDLE_SOURCES, 'main_test.rego', 'test'];

/** The given entries of the policy tree that exist, as paths. */
export function existingSources(sourceDir: string, entries: readonly string[]): string[] {
  return entries.map((s) => path.join(sourceDir, s)).filter((s) => existsSync(s));
}

export interface BuildOptions {
  /** The policy tree (policies/). */
  readonly sourceDir: string;
  /** Where policy.wasm, manifest.json, bundle.tar.gz and capabilities.json go. */
  readonly outDir: string;
  readonly log?: (line: string) => void;
}

export interface BuildResult {
  readonly manifest: PolicyManifest;
  readonly wasmBytes: number;
}

/** The benchmarks' control lists go into the bundle with the rules that name their controls. */
async function copyFrameworks(sourceDir: string, outDir: string): Promise<void> {
  const from = path.join(sourceDir, FRAMEWORKS_DIR);
  if (!existsSync(from)) return;
  const lists = (await readdir(from)).filter((file) => file.endsWith('.tsv'));
  await mkdir(path.join(outDir, FRAMEWORKS_DIR), { recursive: true });
  for (const list of lists) {
    await copyFile(path.join(from, list), path.join(outDir, FRAMEWORKS_DIR, list));
  }
}

/** Finds the builtins that OPA rejected as undefined, to name them in the error. */
export function undefinedBuiltins(opaStderr: string): string[] {
  return [
    ...new Set([...opaStderr.matchAll(/undefined function ([\w.]+)/g)].map((m) => m[1] ?? '')),
  ];
}

/**
 * Compiles the policy tree to one wasm module with the ENTRYPOINTS, limited
 * to the builtins the JS wasm SDK implements, then writes the manifest from the
 * rules' METADATA and proves the result loads in the engine.
 */
export async function buildPolicies(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const opa = await ensureTool(OPA, log);
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });

  const opaKnown = await opaCapabilities(opa.path);
  const capabilities = restrictCapabilities(opaKnown, await sdkBuiltinNames());
  const capabilitiesPath = path.join(options.outDir, CAPABILITIES_FILE);
  await writeFile(capabilitiesPath, `${JSON.stringify(capabilities, null, 2)}\n`);

  const sources = existingSources(options.sourceDir, BUNDLE_SOURCES);
  const bundlePath = path.join(options.outDir, BUNDLE_FILE);
  const build = await run(opa.path, [
    'build',
    '--target',
    'wasm',
    '--v1-compatible',
    '--capabilities',
    capabilitiesPath,
    ...Object.values(ENTRYPOINTS).flatMap((entrypoint) => ['--entrypoint', entrypoint]),
    '--ignore',
    '*_test.rego',
    '--output',
    bundlePath,
    ...sources,
  ]);
  if (build.code !== 0) {
    const known = new Set(opaKnown.builtins.map((b) => b.name));
    // opa build prints compile errors on stdout.
    const output = `${build.stdout}${build.stderr}`.trim();
    const notInSdk = undefinedBuiltins(output).filter((name) => known.has(name));
    const hint =
      notInSdk.length > 0
        ? `\nThe JS wasm SDK (@open-policy-agent/opa-wasm) does not implement builtin ${notInSdk
            .map((n) => `'${n}'`)
            .join(', ')}: rewrite the rule without it.`
        : '';
    throw new ToolError(`opa build failed:\n${output}${hint}`);
  }

  const files = readTarGz(await readFile(bundlePath));
  const wasm = files.get('policy.wasm');
  if (!wasm) throw new ToolError(`${bundlePath} holds no policy.wasm`);
  await writeFile(path.join(options.outDir, WASM_FILE), wasm);

  const rules = await inspectRules(opa.path, bundlePath);
  await assertDispatchCurrent(options.sourceDir, rules);
  const manifest: PolicyManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    wasmSha256: sha256Hex(wasm),
    opaVersion: opa.version,
    entrypoints: ENTRYPOINTS,
    rules,
    unreadFields: await unreadFields(opa.path, sources, RESOURCE_FIELDS),
  };
  await writeFile(
    path.join(options.outDir, MANIFEST_FILE),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );

  await copyFrameworks(options.sourceDir, options.outDir);

  // Loading proves the entrypoints exist and every returnable rule id has metadata.
  try {
    await PolicyEngine.load(options.outDir);
  } catch (error) {
    throw new ToolError(`the built bundle does not load: ${(error as Error).message}`);
  }
  log(
    `built ${path.relative(process.cwd(), options.outDir) || '.'}: ${rules.length} rules, ` +
      `policy.wasm ${wasm.length} bytes (${(await readdir(options.outDir)).join(', ')})`,
  );
  return { manifest, wasmBytes: wasm.length };
}
