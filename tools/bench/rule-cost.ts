// What the rules of each kind cost per resource, for the policy bundle of another commit
// (the baseline) and for dist/policies, measured in one process, alternating rounds: a rule
// set grows in cost only for the kinds whose rules grew (rules are selected by kind).
//   npx tsx --conditions=development tools/bench/rule-cost.ts BASELINE_BUNDLE_DIR [resources]
// A baseline bundle is another commit's dist/policies (build that commit, or build its
// policies/ folder with buildPolicies from tools/src/policy-build/build.ts).
import { PolicyEngine } from '@drift-detective/policy-engine';
import { policyDistDir } from './paths.js';
import { sampleResources, type SampleResource } from './sample-resources.js';
import { steadyMicrosMany } from './steady.js';

const baselineDir = process.argv[2];
if (baselineDir === undefined) {
  process.stderr.write('usage: rule-cost.ts BASELINE_BUNDLE_DIR [resources]\n');
  process.exit(2);
}
const count = Number(process.argv[3] ?? 2_000);
const ROUNDS = 5;

const engines = {
  baseline: await PolicyEngine.load(baselineDir),
  current: await PolicyEngine.load(policyDistDir),
};
const all = await sampleResources(count);
const kinds = [...new Set(all.map((r) => r.kind))].sort();

/** µs per resource of evaluateMany over the list, for half a second. */
const micros = (engine: PolicyEngine, list: readonly SampleResource[]) =>
  steadyMicrosMany(engine, list, 500_000_000n);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

const rulesOf = (engine: PolicyEngine, kind: string) =>
  [...engine.rules.values()].filter((rule) => rule.kinds.includes(kind)).length;

const rows: string[] = [];
for (const kind of kinds) {
  const list = all.filter((r) => r.kind === kind);
  const samples = { baseline: [] as number[], current: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a drift of the machine's speed falls on both.
    const order =
      round % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
    for (const which of order) samples[which].push(micros(engines[which], list));
  }
  const before = median(samples.baseline);
  const after = median(samples.current);
  rows.push(
    `| ${kind} | ${list.length} | ${rulesOf(engines.baseline, kind)} → ${rulesOf(engines.current, kind)} | ${before.toFixed(1)} | ${after.toFixed(1)} | ${(after / before).toFixed(2)} |`,
  );
}
process.stdout.write(
  [
    `| kind | resources | rules of the kind (baseline → now) | µs per resource, baseline | µs now | now ÷ baseline |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
