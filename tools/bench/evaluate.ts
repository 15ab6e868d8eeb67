// Measures what one evaluation costs: µs per resource through PolicyEngine.evaluate,
// printed beside a baseline measured in the same process (JSON round-trip of the
// same input, which every evaluation also pays to cross into wasm memory).
//   npx tsx --conditions=development tools/bench/evaluate.ts [iterations]
import { performance } from 'node:perf_hooks';
import { PolicyEngine } from '@drift-detective/policy-engine';
import { policyDistDir } from './paths.js';

const iterations = Number(process.argv[2] ?? 20_000);
const engine = await PolicyEngine.load(policyDistDir);

function bucket(i: number, publicBucket: boolean) {
  const flag = !publicBucket;
  return {
    provider: 'aws',
    kind: 'storage.bucket',
    nativeType: 'AWS::S3::Bucket',
    id: `arn:aws:s3:::bench-${i}`,
    name: `bench-${i}`,
    account: '123456789012',
    region: 'us-east-1',
    tags: { team: 'bench' },
    observedAt: '2026-11-01T00:00:00Z',
    properties: {
      publicAccessBlock: {
        blockPublicAcls: flag,
        ignorePublicAcls: flag,
        blockPublicPolicy: flag,
        restrictPublicBuckets: flag,
      },
      accountPublicAccessBlock: null,
      encryption: { atRest: true, algorithm: 'AES256', keyId: null },
    },
    native: {},
  };
}

function measure(label: string, work: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(2_000, iterations); i++) work(i); // warm up the JIT
  const start = performance.now();
  for (let i = 0; i < iterations; i++) work(i);
  const micros = ((performance.now() - start) * 1000) / iterations;
  process.stdout.write(`${label.padEnd(36)} ${micros.toFixed(1).padStart(8)} µs/op\n`);
  return micros;
}

const resources = Array.from({ length: 1_000 }, (_, i) => bucket(i, i % 2 === 0));
const at = (i: number) => resources[i] ?? bucket(i, false);
const baseline = measure('baseline: JSON round-trip', (i) =>
  JSON.parse(JSON.stringify({ resource: resources[i % 1000] })),
);
const compliant = measure('evaluate: compliant bucket', (i) =>
  engine.evaluate(at((i % 500) * 2 + 1)),
);
const violating = measure('evaluate: public bucket (1 finding)', (i) =>
  engine.evaluate(at((i % 500) * 2)),
);
process.stdout.write(
  `ratio to baseline: compliant ${(compliant / baseline).toFixed(1)}x, public ${(violating / baseline).toFixed(1)}x ` +
    `(${iterations} iterations, ${engine.rules.size} rules, node ${process.version})\n`,
);
