// Every comparison of the benchmark suite in one run, one after the other on
// this machine: the engines side by side (ours, the JSON floor, `opa run
// --server` one POST per resource 1 and 8 at a time, `opa eval` in batch),
// then scans of generated AWS Config snapshots (about half the resources
// violating) at two sizes, in every output format and with --state, on 1 and
// 2 evaluation threads, with their peak RSS; then each cloud's event path
// against its emulator or stand-in (the ceiling, and p50/p99 at half of it,
// with and without the hub's calls). Not part of `make test`: it measures, it
// does not assert.
//   npx nx run-many -t build -p policies cli && npx tsx tools/bench/suite.ts [small] [large]
// Writes bench/results/suite.md (the tables the README shows) beside the
// engines and scan-scale results it gathers.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventTable } from './event-results.js';
import { workspaceRoot } from './paths.js';

const [small = '100000', large = '1000000'] = process.argv.slice(2).filter((a) => /^\d+$/.test(a));
const results = path.join(workspaceRoot, 'bench', 'results');
const bench = (name: string) => path.join(workspaceRoot, 'tools', 'bench', name);

/** Runs one bench script to its end, its progress on this process's stderr. */
async function runBench(script: string, args: readonly string[]): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=development', bench(script), ...args],
    { cwd: workspaceRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`${script} failed (exit ${code})`);
}

const started = new Date();
await runBench('engines.ts', ['1000']);
await runBench('scan-scale.ts', [
  small,
  large,
  '--cloud',
  'aws',
  '--threads',
  '1',
  '--threads',
  '2',
]);
for (const script of ['aws-worker.ts', 'azure-events.ts', 'gcp-events.ts']) {
  await runBench(script, ['400']);
}
const engines = await readFile(path.join(results, 'engines.md'), 'utf8');
const scans = await readFile(path.join(results, 'scan-scale-mixed.md'), 'utf8');
const suite = [
  `# Benchmark suite, ${started.toISOString()}`,
  '',
  `${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}.`,
  '',
  '## Engines, µs per resource',
  '',
  engines.trim(),
  '',
  '## Scans',
  '',
  scans.trim(),
  '',
  '## Events',
  '',
  await eventTable(['aws', 'azure', 'gcp']),
  '',
].join('\n');
await writeFile(path.join(results, 'suite.md'), suite);
process.stdout.write(suite);
