// Peak memory of `drift-detective scan` on a large inventory, as a ratio to a
// small one scanned the same way in the same run: streaming keeps it flat.
//   npx nx run cli:build && npx tsx tools/bench/scan-memory.ts [largeItems]
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { workspaceRoot } from './paths.js';

const largeItems = Number(process.argv[2] ?? 150_000);
const smallItems = 1_500;
const cli = path.join(workspaceRoot, 'apps', 'cli', 'bin', 'drift-detective.js');
const dir = await mkdtemp(path.join(tmpdir(), 'drift-bench-'));

// Compliant items, as most of a real inventory is: findings are kept until the report.
const templates = await Promise.all(
  [
    'dd-storage-001-compliant-bucket-block-on.json',
    'dd-net-001-compliant-ssh-internal.json',
    'dd-kms-001-compliant-rotation-on.json',
  ].map(
    async (name) =>
      JSON.parse(
        await readFile(
          path.join(workspaceRoot, 'libs', 'providers', 'aws', 'test', 'fixtures', 'native', name),
          'utf8',
        ),
      ) as Record<string, unknown>,
  ),
);

/** A Config snapshot of `count` items: unique ARNs, otherwise the templates. */
async function writeSnapshot(file: string, count: number, oneLine = false): Promise<number> {
  const out = createWriteStream(file);
  const sep = oneLine ? '' : '\n';
  out.write(`{"fileVersion":"1.0","configSnapshotId":"bench","configurationItems":[${sep}`);
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length] ?? {};
    const item = {
      ...template,
      ARN: `${String(template['ARN'])}-${i}`,
      resourceId: `${String(template['resourceId'])}-${i}`,
    };
    if (!out.write(`${i === 0 ? '' : `,${sep}`}${JSON.stringify(item)}`)) await once(out, 'drain');
  }
  out.end(`${sep}]}\n`);
  await once(out, 'finish');
  return (await stat(file)).size;
}

/** Runs the CLI with a preload that reports the process's peak resident set size. */
async function peakRss(file: string): Promise<{ rssMiB: number; seconds: number }> {
  const preload = path.join(dir, 'rss.mjs');
  await writeFile(
    preload,
    "process.on('exit', () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\\n`));\n",
  );
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', preload, cli, 'scan', '--format', 'json', '--input', file],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number];
  const match = /maxRSS=(\d+)/.exec(stderr);
  if (code !== 0 || !match) throw new Error(`scan failed (${code}): ${stderr.slice(-500)}`);
  return { rssMiB: Number(match[1]) / 1024, seconds: (Date.now() - started) / 1000 };
}

const small = path.join(dir, 'small.json');
const large = path.join(dir, 'large.json');
const minified = path.join(dir, 'large-one-line.json');
const smallBytes = await writeSnapshot(small, smallItems);
const largeBytes = await writeSnapshot(large, largeItems);
await writeSnapshot(minified, largeItems, true);
const base = await peakRss(small);
const big = await peakRss(large);
const oneLine = await peakRss(minified);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
process.stdout.write(
  `baseline: ${smallItems} items, ${mib(smallBytes)} MiB → peak RSS ${base.rssMiB.toFixed(0)} MiB (${base.seconds.toFixed(1)} s)\n` +
    `large:    ${largeItems} items, ${mib(largeBytes)} MiB → peak RSS ${big.rssMiB.toFixed(0)} MiB (${big.seconds.toFixed(1)} s)\n` +
    `one line: ${largeItems} items, minified → peak RSS ${oneLine.rssMiB.toFixed(0)} MiB (${oneLine.seconds.toFixed(1)} s)\n` +
    `input ${(largeBytes / smallBytes).toFixed(0)}x larger, peak memory ${(big.rssMiB / base.rssMiB).toFixed(2)}x ` +
    `(one line: ${(oneLine.rssMiB / base.rssMiB).toFixed(2)}x), ` +
    `${(largeItems / big.seconds).toFixed(0)} items/s\n`,
);
