// One policy set, six ways to evaluate it, side by side in one run, per
// resource of the three clouds' samples (74 normalized resources, 45 of them
// with findings, replicated with unique ids):
//   - our engine: the policy compiled to wasm, in process: evaluateMany (many
//     resources per call, as a scan runs), evaluate (one per call, as the event
//     path runs), and the reference walking every rule for every resource;
//   - the JSON floor: the JSON round trip every evaluation pays to cross into wasm;
//   - the sidecar design: `opa run --server` on the same Rego, one POST per
//     resource on a keep-alive connection, 1 and 8 at a time;
//   - OPA's Go evaluator in batch: `opa eval` once over an input holding all
//     resources (its start-up measured apart and taken off).
// Every engine must find the same violations for every resource: the bench
// checks, and stops on the first difference.
//   npx nx run policies:build && npx nx run cli:build && npx tsx tools/bench/engines.ts [resources]
// Writes bench/results/engines.md and .json.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PolicyEngine } from '@drift-detective/policy-engine';
import { policyDistDir, workspaceRoot } from './paths.js';
import { sampleResources } from './sample-resources.js';
import { steadyMicrosMany } from './steady.js';

const run = promisify(execFile);
const count = Number(process.argv[2] ?? 2_000);
const opa = process.env['OPA_BIN'] ?? path.join(workspaceRoot, 'tools', 'bin', 'opa');
/** The bundle's Rego, as policy-build compiles it: no tests, no test data. */
const policies = ['main.rego', 'dispatch.rego', 'lib', 'common']
  .map((entry) => path.join(workspaceRoot, 'policies', entry))
  .filter((entry) => existsSync(entry));
/** The query every engine answers: the rules selected by the resource's kind, as the engine runs them. */
const QUERY = 'data.drift.dispatch.violations';
type Resource = Record<string, unknown> & { id: string };

/** What a violation set says, comparable across engines: rule and message, sorted. */
const signature = (violations: readonly { rule_id?: string; ruleId?: string; message: string }[]) =>
  violations
    .map((v) => `${v.rule_id ?? v.ruleId}\u0000${v.message}`)
    .sort()
    .join('\n');

function microsPer(started: bigint, n: number): number {
  return Number(process.hrtime.bigint() - started) / 1e3 / n;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

const all: Resource[] = await sampleResources(count);
const engine = await PolicyEngine.load(policyDistDir);
const expected = new Map<string, string>();
const rows: { engine: string; microsPerResource: number }[] = [];

/**
 * µs per resource of an in-process evaluation in its steady state: passes over
 * every resource, repeated until a second has gone by, after a warm-up pass.
 * One pass over a thousand resources lasts tens of milliseconds, too little
 * for the JIT and the garbage collector to settle.
 */
function steadyMicros(evaluate: (r: Resource) => unknown, list: readonly Resource[] = all): number {
  for (const r of list) evaluate(r);
  const started = process.hrtime.bigint();
  let evaluated = 0;
  do {
    for (const r of list) evaluate(r);
    evaluated += list.length;
  } while (process.hrtime.bigint() - started < 1_000_000_000n);
  return microsPer(started, evaluated);
}

/** The same, for a whole pass at once: µs per resource of `evaluateMany` over the list. */
const steadyMicrosBatched = (list: readonly Resource[] = all) => steadyMicrosMany(engine, list);

for (const r of all) expected.set(r.id, signature(engine.evaluate(r as never)));
for (const outcome of engine.evaluateMany(all as never[])) {
  const r = outcome.resource as unknown as Resource;
  if (!outcome.ok || signature(outcome.violations) !== expected.get(r.id))
    throw new Error(`evaluateMany differs on ${r.id}`);
}
// As a scan runs it: many resources per call into the module (evaluateMany).
rows.push({
  engine: 'drift-detective engine (wasm, in process), many resources per call (as scan runs)',
  microsPerResource: steadyMicrosBatched(),
});
// As the event path runs it: one resource per call (evaluate).
rows.push({
  engine: 'drift-detective engine (wasm, in process), one resource per call (as events run)',
  microsPerResource: steadyMicros((r) => engine.evaluate(r as never)),
});
// The same engine walking every rule for every resource (drift.main), as it did
// before rules were selected by kind: what the selection saves.
for (const r of all) {
  if (signature(engine.evaluateEveryRule(r as never)) !== expected.get(r.id))
    throw new Error(`every-rule evaluation differs on ${r.id}`);
}
rows.push({
  engine:
    'drift-detective engine, every rule walked, whole resource given (drift.main, the reference)',
  microsPerResource: steadyMicros((r) => engine.evaluateEveryRule(r as never)),
});
rows.push({
  engine: 'JSON round trip (the floor)',
  microsPerResource: steadyMicros((r) => JSON.parse(JSON.stringify({ resource: r }))),
});
const withFindings = [...expected.values()].filter((s) => s !== '').length;

// Per kind: what a resource costs with the rules of its kind, and with every rule.
// Selected by kind, the cost follows the rules that apply to the kind.
const byKind = Map.groupBy(all, (r) => String(r['kind']));
const kindRows = [...byKind]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([kind, list]) => ({
    kind,
    resources: list.length,
    rules: [...engine.rules.values()].filter((rule) => rule.kinds.includes(kind)).length,
    selected: steadyMicros((r) => engine.evaluate(r as never), list),
    everyRule: steadyMicros((r) => engine.evaluateEveryRule(r as never), list),
  }));

// The sidecar: opa run --server, one POST per resource.
const port = await freePort();
const server = spawn(
  opa,
  [
    'run',
    '--server',
    '--addr',
    `127.0.0.1:${port}`,
    '--log-level',
    'error',
    '--ignore',
    '*_test.rego',
    ...policies,
  ],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
try {
  const url = `http://127.0.0.1:${port}/v1/${QUERY.replaceAll('.', '/')}`;
  for (let ready = false; !ready;) {
    ready = await fetch(`http://127.0.0.1:${port}/health`).then(
      (a) => a.ok,
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ask = async (r: Resource) => {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { resource: r } }),
    });
    const { result } = (await answer.json()) as { result?: { rule_id: string; message: string }[] };
    if (signature(result ?? []) !== expected.get(r.id))
      throw new Error(`opa server differs on ${r.id}`);
  };
  for (const r of all.slice(0, 200)) await ask(r); // warm-up, and the first check
  for (const concurrency of [1, 8]) {
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < all.length) await ask(all[next++] as Resource);
      }),
    );
    rows.push({
      engine: `opa run --server, one POST per resource, ${concurrency} at a time`,
      microsPerResource: microsPer(started, all.length),
    });
  }
} finally {
  server.kill('SIGTERM');
}

// OPA's Go evaluator over one input with every resource, its start-up taken off.
const dir = await mkdtemp(path.join(tmpdir(), 'drift-engines-'));
const batch = `[v | r := input.resources[i]; v := ${QUERY} with input as {"resource": r}]`;
async function evalBatch(
  list: readonly Resource[],
): Promise<{ seconds: number; result: unknown[][] }> {
  const file = path.join(dir, `input-${list.length}.json`);
  await writeFile(file, JSON.stringify({ resources: list }));
  const at = process.hrtime.bigint();
  const { stdout } = await run(
    opa,
    [
      'eval',
      '--format',
      'json',
      '--ignore',
      '*_test.rego',
      ...policies.flatMap((p) => ['-d', p]),
      '-i',
      file,
      batch,
    ],
    {
      maxBuffer: 512 * 1024 * 1024,
    },
  );
  const seconds = Number(process.hrtime.bigint() - at) / 1e9;
  const out = JSON.parse(stdout) as { result: { expressions: { value: unknown[][] }[] }[] };
  return { seconds, result: out.result[0]?.expressions[0]?.value ?? [] };
}
const startup = await evalBatch(all.slice(0, 1));
const full = await evalBatch(all);
full.result.forEach((violations, i) => {
  const r = all[i] as Resource;
  if (signature(violations as never) !== expected.get(r.id))
    throw new Error(`opa eval differs on ${r.id}`);
});
rows.push({
  engine: 'opa eval, one input holding every resource (start-up taken off)',
  microsPerResource: ((full.seconds - startup.seconds) * 1e6) / (all.length - 1),
});
await rm(dir, { recursive: true, force: true });

const batched = rows[0]?.microsPerResource ?? 1;
const onePerCall = rows[1]?.microsPerResource ?? 1;
const table = [
  `Evaluation of ${all.length} resources (${withFindings} with findings), ${engine.rules.size} rules, node ${process.version}; every engine returned the same violations for every resource.`,
  '',
  '| engine | µs per resource | × ours, many per call | × ours, one per call |',
  '| --- | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.engine} | ${r.microsPerResource.toFixed(1)} | ${(r.microsPerResource / batched).toFixed(1)} | ${(r.microsPerResource / onePerCall).toFixed(1)} |`,
  ),
  '',
  'Per kind, µs per resource of this engine: the rules of the kind (as it runs), and every rule walked.',
  '',
  `| kind | resources | rules of the kind (of ${engine.rules.size}) | selected by kind | every rule |`,
  '| --- | ---: | ---: | ---: | ---: |',
  ...kindRows.map(
    (k) =>
      `| ${k.kind} | ${k.resources} | ${k.rules} | ${k.selected.toFixed(1)} | ${k.everyRule.toFixed(1)} |`,
  ),
  '',
].join('\n');
const results = path.join(workspaceRoot, 'bench', 'results');
await mkdir(results, { recursive: true });
await writeFile(path.join(results, 'engines.md'), table);
await writeFile(
  path.join(results, 'engines.json'),
  `${JSON.stringify({ node: process.version, resources: all.length, withFindings, rows, kinds: kindRows }, null, 2)}\n`,
);
process.stdout.write(table);
