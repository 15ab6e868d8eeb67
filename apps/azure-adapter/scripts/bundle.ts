// Builds the Azure Functions deployment package, dist/function-app: the app
// (src/functions.ts and every library it uses, in one ES module) beside
// policy.wasm, with host.json and the package.json whose "main" the Functions
// host loads (https://learn.microsoft.com/azure/azure-functions/functions-reference-node#folder-structure).
// The policy manifest is compiled into the module; the wasm stays a file so a
// policy change is a file swap the manifest's digest still checks. Zip the
// folder for a zip deployment. Also builds the process entry,
// dist/process/main.mjs (bin/drift-detective-azure.js), which reads the
// policy bundle folder at run time.
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

const appDir = path.resolve(import.meta.dirname, '..');
const workspaceRoot = path.resolve(appDir, '..', '..');
const policies = path.join(workspaceRoot, 'dist', 'policies');
const outDir = path.join(appDir, 'dist', 'function-app');
const processDir = path.join(appDir, 'dist', 'process');

/** The Functions runtime the package targets: Node.js 22 on Functions 4.x. */
export const FUNCTIONS_NODE_VERSION = '22';

const manifest = await readFile(path.join(policies, 'manifest.json'), 'utf8').catch(() => {
  throw new Error(`no policy bundle at ${policies}: build it first (npx nx run policies:build)`);
});
const appPackage = JSON.parse(await readFile(path.join(appDir, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  conditions: ['development'],
  // Native addons cannot be bundled: the state store falls back to node:sqlite.
  // @azure/functions-core is no package: the Functions worker provides it to
  // @azure/functions at run time (outside a host, @azure/functions runs in test mode).
  external: ['better-sqlite3', '@azure/functions-core'],
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
  entryPoints: [path.join(appDir, 'src', 'functions.ts')],
  outfile: path.join(outDir, 'index.mjs'),
  define: { DRIFT_POLICY_MANIFEST: JSON.stringify(manifest) },
});
await build({
  ...common,
  entryPoints: [path.join(appDir, 'src', 'main.ts')],
  outfile: path.join(processDir, 'main.mjs'),
});
await copyFile(path.join(policies, 'policy.wasm'), path.join(outDir, 'policy.wasm'));
// host.json: the Functions host's settings (https://learn.microsoft.com/azure/azure-functions/functions-host-json).
await writeFile(
  path.join(outDir, 'host.json'),
  `${JSON.stringify(
    {
      version: '2.0',
      // The Consumption plan's maximum; a sweep stops a minute before it and resumes next run.
      functionTimeout: '00:10:00',
      extensionBundle: {
        id: 'Microsoft.Azure.Functions.ExtensionBundle',
        version: '[4.*, 5.0.0)',
      },
      logging: { logLevel: { default: 'Information' } },
    },
    null,
    2,
  )}\n`,
);
await writeFile(
  path.join(outDir, 'package.json'),
  `${JSON.stringify(
    {
      name: 'drift-detective-azure-functions',
      version: appPackage.version,
      private: true,
      type: 'module',
      main: 'index.mjs',
      engines: { node: `>=${FUNCTIONS_NODE_VERSION}` },
    },
    null,
    2,
  )}\n`,
);
const size = (await stat(path.join(outDir, 'index.mjs'))).size;
process.stdout.write(
  `azure-adapter: ${path.relative(workspaceRoot, outDir)}/index.mjs (${(size / 1024 / 1024).toFixed(1)} MiB) + policy.wasm + host.json, for Node.js ${FUNCTIONS_NODE_VERSION} on Functions 4.x\n`,
);
