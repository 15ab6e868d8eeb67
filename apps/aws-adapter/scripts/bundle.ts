// Builds the Lambda deployment: dist/lambda/index.mjs (the handlers and every
// library they use, in one ES module) beside policy.wasm. The policy manifest
// is compiled into the module; the wasm stays a file so a policy change is a
// file swap the manifest's digest still checks. Also builds the process entry,
// dist/process/main.mjs (bin/drift-detective-aws.js), which reads the policy
// bundle folder at run time and keeps better-sqlite3 as an installed addon.
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

const appDir = path.resolve(import.meta.dirname, '..');
const workspaceRoot = path.resolve(appDir, '..', '..');
const policies = path.join(workspaceRoot, 'dist', 'policies');
const outDir = path.join(appDir, 'dist', 'lambda');
const processDir = path.join(appDir, 'dist', 'process');

/** The Lambda runtime the bundle targets (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). */
export const LAMBDA_RUNTIME = 'nodejs22.x';

const manifest = await readFile(path.join(policies, 'manifest.json'), 'utf8').catch(() => {
  throw new Error(`no policy bundle at ${policies}: build it first (npx nx run policies:build)`);
});

/** What both entries share: one ES module for Node 22, native addons left out. */
const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  conditions: ['development'],
  // Native addons cannot be bundled: the state store falls back to node:sqlite.
  external: ['better-sqlite3'],
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __driftCreateRequire } from 'node:module'; const require = __driftCreateRequire(import.meta.url);",
  },
  sourcemap: false,
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
};

await rm(outDir, { recursive: true, force: true });
await rm(processDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
await build({
  ...common,
  entryPoints: [path.join(appDir, 'src', 'lambda.ts')],
  outfile: path.join(outDir, 'index.mjs'),
  define: { DRIFT_POLICY_MANIFEST: JSON.stringify(manifest) },
});
await build({
  ...common,
  entryPoints: [path.join(appDir, 'src', 'main.ts')],
  outfile: path.join(processDir, 'main.mjs'),
});
await copyFile(path.join(policies, 'policy.wasm'), path.join(outDir, 'policy.wasm'));
const size = (await stat(path.join(outDir, 'index.mjs'))).size;
process.stdout.write(
  `aws-adapter: ${path.relative(workspaceRoot, outDir)}/index.mjs (${(size / 1024 / 1024).toFixed(1)} MiB) + policy.wasm, for ${LAMBDA_RUNTIME}\n`,
);
