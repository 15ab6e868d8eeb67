// Keeps the offline commands free of the cloud SDK clients: `scan`, `evaluate`
// and `--help` load only what reads an exported inventory, and each adapter
// command loads its own cloud's SDK when it runs. Every module the CLI process
// loads is recorded by a module resolve hook, and the list is checked.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bin, workspaceRoot } from './cli-process.js';

const SDK_PACKAGES: Record<string, RegExp> = {
  aws: /\/node_modules\/@aws-sdk\//,
  azure: /\/node_modules\/@azure\//,
  gcp: /\/node_modules\/(@google-cloud|google-gax|@grpc)\//,
};

/** Runs the CLI with a resolve hook that appends every resolved module URL to a file; returns those URLs. */
async function loadedModules(args: readonly string[]): Promise<{ code: number; urls: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-startup-'));
  const log = path.join(dir, 'modules.txt');
  const hooks = path.join(dir, 'hooks.mjs');
  const register = path.join(dir, 'register.mjs');
  await writeFile(log, '');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');
  return resolved;
}
`,
  );
  await writeFile(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const code = await new Promise<number>((resolve) => {
    execFile(process.execPath, ['--import', register, bin, ...args], (error) => {
      resolve(error ? Number((error as { code?: number }).code ?? 1) : 0);
    });
  });
  return { code, urls: (await readFile(log, 'utf8')).split('\n').filter(Boolean) };
}

const sdksIn = (urls: readonly string[]) =>
  Object.keys(SDK_PACKAGES).filter((cloud) => urls.some((url) => SDK_PACKAGES[cloud]!.test(url)));

describe('what the CLI loads at start', () => {
  const samples = (cloud: string) => path.join(workspaceRoot, 'samples', cloud);

  it('loads no cloud SDK to print its version', async () => {
    const run = await loadedModules(['--version']);
    expect(run.code).toBe(0);
    expect(run.urls.length).toBeGreaterThan(10);
    expect(sdksIn(run.urls)).toEqual([]);
  });

  it.each(['json', 'asff'])(
    'loads no cloud SDK to scan the samples of the three clouds as %s',
    async (format) => {
      const run = await loadedModules([
        'scan',
        '--format',
        format,
        '--input',
        samples('aws'),
        '--input',
        samples('azure'),
        '--input',
        samples('gcp'),
      ]);
      expect(run.code).toBe(0);
      expect(sdksIn(run.urls)).toEqual([]);
    },
  );

  it.each(['aws', 'azure', 'gcp'])("loads only %s's SDK for its adapter command", async (cloud) => {
    const run = await loadedModules([cloud, '--help']);
    expect(run.code).toBe(0);
    expect(sdksIn(run.urls)).toEqual([cloud]);
  });
});
