// The three clouds' samples in the normalized model (the CLI's `normalize`), replicated to a
// count with unique ids: the resources the engine benchmarks evaluate.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLOUDS } from '@drift-detective/testing';
import { workspaceRoot } from './paths.js';

export type SampleResource = Record<string, unknown> & { id: string; kind: string };

const run = promisify(execFile);
const cli = path.join(workspaceRoot, 'apps', 'cli', 'bin', 'drift-detective.js');

export async function sampleResources(count: number): Promise<SampleResource[]> {
  const inputs = CLOUDS.flatMap((cloud) => ['--input', path.join(workspaceRoot, 'samples', cloud)]);
  const { stdout } = await run(process.execPath, [cli, 'normalize', ...inputs], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const base = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SampleResource);
  return Array.from({ length: count }, (_, i) => {
    const r = base[i % base.length] as SampleResource;
    return { ...r, id: `${r.id}-r${Math.floor(i / base.length)}` };
  });
}
