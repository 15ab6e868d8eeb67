// Throughput and peak memory of `drift-detective scan` on generated estates of
// the three clouds (the samples replicated with unique ids: about half of the
// resources break a rule; or a compliant-only variant), at two sizes, in each
// output format. Ratios are to the smaller size of the same run: throughput
// should hold, memory should not grow with the input.
//   npx nx run cli:build && npx tsx tools/bench/scan-scale.ts [small] [large] [--mix compliant]
//     [--cloud aws|azure|gcp]… [--format json|table|sarif|asff|json+state]… [--threads N]…
// Writes bench/results/scan-scale.md and .json.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLOUDS, writeEstate, type Cloud, type Mix } from '@drift-detective/testing';
import { workspaceRoot } from './paths.js';

const args = process.argv.slice(2);
const mix: Mix =
  args.includes('--mix') && args[args.indexOf('--mix') + 1] === 'compliant' ? 'compliant' : 'mixed';
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
/** `--cloud aws` and `--format json` narrow the run to those (repeatable). */
const only = (flag: string) =>
  args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1] as string] : []));
const clouds =
  only('--cloud').length > 0 ? CLOUDS.filter((c) => only('--cloud').includes(c)) : CLOUDS;
const [small = 10_000, large = 100_000] = sizes;
/** `json+state` is the JSON report of a scan reconciled with a fresh --state file. */
const ALL_FORMATS = ['json', 'table', 'sarif', 'asff', 'json+state'] as const;
const FORMATS = ALL_FORMATS.filter(
  (f) => only('--format').length === 0 || only('--format').includes(f),
);
/** `--threads 1 --threads 2`: each scan once per thread count (default: the CLI's own default). */
const THREADS = only('--threads').map(Number);
const cli = path.join(workspaceRoot, 'apps', 'cli', 'bin', 'drift-detective.js');
const dir = await mkdtemp(path.join(tmpdir(), 'drift-scan-scale-'));
const preload = path.join(dir, 'rss.mjs');
await writeFile(
  preload,
  "process.on('exit', () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\\n`));\n",
);

interface Run {
  readonly cloud: Cloud;
  readonly format: string;
  /** --threads given to the scan; 0 for the CLI's default. */
  readonly threads: number;
  readonly records: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly peakMiB: number;
  readonly findings: number;
}

/** Runs one scan to its end; its wall time, peak RSS and the number of findings (json only). */
async function scanOnce(
  file: string,
  format: string,
  threads: number,
): Promise<Omit<Run, 'cloud' | 'records' | 'perSecond'>> {
  const [output, withState] = format.split('+');
  const state = withState ? ['--state', path.join(dir, `state-${Date.now()}.db`)] : [];
  const threadArgs = threads > 0 ? ['--threads', String(threads)] : [];
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [
      '--import',
      preload,
      cli,
      'scan',
      '--format',
      output ?? format,
      '--input',
      file,
      ...state,
      ...threadArgs,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let findings = 0;
  let tail = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Counted as it streams past: the output itself is not kept.
  child.stdout.on('data', (chunk: Buffer) => {
    const text = tail + chunk.toString();
    findings += (text.match(/"ruleId":/g) ?? []).length;
    // One character short of the pattern: a match spanning two chunks is found, none twice.
    tail = text.slice(-8);
  });
  const [code] = (await once(child, 'close')) as [number];
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /maxRSS=(\d+)/.exec(stderr);
  if (code !== 0 || !rss)
    throw new Error(`scan of ${file} failed (${code}): ${stderr.slice(-400)}`);
  return { format, threads, seconds, peakMiB: Number(rss[1]) / 1024, findings };
}

/** The sample's resources with a finding (lower-cased ids), for the compliant-only mix. */
async function violatingIds(): Promise<Set<string>> {
  const child = spawn(
    process.execPath,
    [
      cli,
      'scan',
      '--format',
      'json',
      ...CLOUDS.flatMap((cloud) => ['--input', path.join(workspaceRoot, 'samples', cloud)]),
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await once(child, 'close');
  const { findings } = JSON.parse(out) as { findings: { resourceId: string }[] };
  return new Set(findings.map((f) => f.resourceId.toLowerCase()));
}

const violating = await violatingIds();
const runs: Run[] = [];
for (const cloud of clouds) {
  for (const resources of [small, large]) {
    const file = path.join(dir, `${cloud}-${resources}.${cloud === 'gcp' ? 'ndjson' : 'json'}`);
    const estate = await writeEstate(cloud, file, { resources, mix, violating });
    for (const format of FORMATS) {
      // ASFF holds AWS findings only: the other clouds would print an empty list.
      if (format === 'asff' && cloud !== 'aws') continue;
      for (const threads of THREADS.length > 0 ? THREADS : [0]) {
        const run = await scanOnce(file, format, threads);
        runs.push({
          ...run,
          cloud,
          records: estate.records,
          perSecond: estate.records / run.seconds,
        });
        process.stderr.write(
          `${cloud} ${estate.records} ${format} threads ${threads || 'default'}: ${run.seconds.toFixed(1)} s, ${run.peakMiB.toFixed(0)} MiB\n`,
        );
      }
    }
    await rm(file);
  }
}

const rows = runs.map((run) => {
  const base = runs.find(
    (r) =>
      r.cloud === run.cloud &&
      r.format === run.format &&
      r.threads === run.threads &&
      r.records < run.records,
  );
  // Against one thread on the same input, when that was run too.
  const single = runs.find(
    (r) =>
      r.cloud === run.cloud &&
      r.format === run.format &&
      r.records === run.records &&
      r.threads === 1,
  );
  return {
    ...run,
    throughputRatio: base ? run.perSecond / base.perSecond : 1,
    memoryRatio: base ? run.peakMiB / base.peakMiB : 1,
    inputRatio: base ? run.records / base.records : 1,
    threadRatio: single ? run.perSecond / single.perSecond : 1,
  };
});
const table = [
  `Scan of generated estates (${mix} mix), node ${process.version}: ratios to the ${small}-resource run of the same cloud and format.`,
  '',
  '| cloud | format | threads | records | findings | records/s | × 1 thread | × throughput | peak RSS MiB | × memory (× input) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.cloud} | ${r.format} | ${r.threads || 'default'} | ${r.records} | ${r.format.startsWith('json') ? r.findings : ''} | ${r.perSecond.toFixed(0)} | ${r.threadRatio.toFixed(2)} | ${r.throughputRatio.toFixed(2)} | ${r.peakMiB.toFixed(0)} | ${r.memoryRatio.toFixed(2)} (${r.inputRatio.toFixed(0)}) |`,
  ),
  '',
].join('\n');
const results = path.join(workspaceRoot, 'bench', 'results');
await mkdir(results, { recursive: true });
await writeFile(path.join(results, `scan-scale-${mix}.md`), table);
await writeFile(
  path.join(results, `scan-scale-${mix}.json`),
  `${JSON.stringify({ mix, node: process.version, rows }, null, 2)}\n`,
);
process.stdout.write(table);
await rm(dir, { recursive: true, force: true });
