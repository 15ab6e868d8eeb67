import { Buffer } from 'node:buffer';
import { NormalizeError, type Resource } from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcpInventory, MODEL_MISMATCH } from '../src/index.js';
import { CATALOG } from './catalog.js';
import {
  flightBody,
  gcpCorpus,
  gcpCorpusNames,
  nativeFixture,
  nativeFixtureNames,
  scanContext,
} from './helpers.js';

type Path = readonly (string | number)[];
type Mutation =
  | { kind: 'delete'; path: Path }
  | { kind: 'replace'; path: Path; value: unknown }
  | { kind: 'truncate'; path: Path; keep: number };

/** Runs per property; raise it (FUZZ_RUNS=5000) for a longer search. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);

/** Every path below the root of a JSON value. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  return children.flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

function at(value: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (v, step) =>
      typeof v === 'object' && v !== null
        ? (v as Record<string | number, unknown>)[step]
        : undefined,
    value,
  );
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A value of another JSON type than `original`: a wrong type, never a lucky right value. */
const WRONG = [
  null,
  0,
  -1,
  1.5,
  1e21,
  true,
  false,
  '',
  'x',
  '0.0.0.0/0',
  [],
  ['x'],
  [7],
  {},
  { enabled: 'yes' },
];
function wrongFor(original: unknown, pick: number, generated: unknown): unknown {
  if (typeOf(generated) !== typeOf(original)) return generated;
  const candidates = WRONG.filter((c) => typeOf(c) !== typeOf(original));
  return candidates[pick % candidates.length];
}

/** Applies mutations to a deep copy; a mutation whose path no longer exists is skipped. */
function mutate(document: unknown, mutations: readonly Mutation[]): unknown {
  const copy = structuredClone(document);
  for (const m of mutations) {
    const parent = at(copy, m.path.slice(0, -1)) as
      Record<string | number, unknown> | unknown[] | undefined;
    const key = m.path[m.path.length - 1];
    if (key === undefined) continue;
    if (typeof parent !== 'object' || parent === null) continue;
    const target = parent as Record<string | number, unknown>;
    if (!(key in target)) continue;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete target[key];
    } else if (m.kind === 'replace') {
      target[key] = m.value;
    } else if (typeof target[key] === 'string') {
      target[key] = (target[key] as string).slice(0, m.keep);
    }
  }
  return copy;
}

/** Mutations of `document`: fields deleted, replaced by wrong types, strings truncated. */
function mutations(document: unknown): fc.Arbitrary<Mutation[]> {
  const all = paths(document);
  const one: fc.Arbitrary<Mutation> = fc
    .record({
      index: fc.nat({ max: all.length - 1 }),
      kind: fc.constantFrom('delete', 'replace', 'truncate'),
      pick: fc.nat(),
      generated: fc.jsonValue({ maxDepth: 2 }),
    })
    .map(({ index, kind, pick, generated }): Mutation => {
      const path = all[index] ?? [];
      const original = at(document, path);
      if (kind === 'truncate' && typeof original === 'string' && original.length > 0) {
        return { kind, path, keep: pick % original.length };
      }
      if (kind === 'delete') return { kind, path };
      return { kind: 'replace', path, value: wrongFor(original, pick, generated) };
    });
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

interface Outcome {
  readonly resources: Resource[];
}

/** The scan of one document; fails the property on anything but NormalizeError or an invalid resource. */
function run(document: unknown): Outcome {
  const context = scanContext();
  let records;
  try {
    records = gcpInventory.unwrap(document, 'fuzz.json');
  } catch (error) {
    expectNormalizeError(error);
    return { resources: [] };
  }
  const toNormalize = records.filter((record) => !gcpInventory.collect(record, context));
  const resources: Resource[] = [];
  for (const record of toNormalize) {
    try {
      resources.push(gcpInventory.normalize(record, context));
    } catch (error) {
      expectNormalizeError(error);
    }
  }
  resources.push(...gcpInventory.leftovers(context));
  for (const resource of resources) assertValidResource(resource, resource.id);
  return { resources };
}

function expectNormalizeError(error: unknown): void {
  if (!(error instanceof NormalizeError)) throw error;
  // A resource the normalizer built that the model rejects is a defect, not bad input.
  expect(error.reason.startsWith(MODEL_MISMATCH), error.message).toBe(false);
}

const isPrefix = (prefix: Path, path: Path) =>
  prefix.length <= path.length && prefix.every((step, i) => step === path[i]);

/** Every real document the tests know: corpus files (flights as their bodies) and native fixtures. */
const realDocuments: [string, unknown][] = [
  ...gcpCorpusNames().map((f): [string, unknown] => [
    f,
    f.startsWith('flight-') ? flightBody(f) : gcpCorpus(f),
  ]),
  ...nativeFixtureNames().map((f): [string, unknown] => [f, nativeFixture(f)]),
];

describe('property: random JSON', () => {
  it('only NormalizeError escapes unwrap/normalize, every resource is schema-valid', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        run(value);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('holds for random values shaped like assets', () => {
    const assetLike = fc.record(
      {
        name: fc.oneof(fc.constant('//storage.googleapis.com/b'), fc.string()),
        asset_type: fc.constantFrom(
          'storage.googleapis.com/Bucket',
          'compute.googleapis.com/Firewall',
          'sqladmin.googleapis.com/Instance',
          'cloudkms.googleapis.com/CryptoKey',
          'cloudresourcemanager.googleapis.com/Project',
          'cloudfunctions.googleapis.com/Function',
          'x.googleapis.com/Y',
        ),
        resource: fc.record({
          data: fc.jsonValue({ maxDepth: 4 }),
          location: fc.jsonValue({ maxDepth: 1 }),
        }),
        iam_policy: fc.jsonValue({ maxDepth: 4 }),
        ancestors: fc.jsonValue({ maxDepth: 1 }),
        update_time: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
      },
      { requiredKeys: ['name', 'asset_type'] },
    );
    fc.assert(
      fc.property(assetLike, (value) => void run(value)),
      { numRuns: RUNS * 3 },
    );
  });
});

describe('property: mutated real records', () => {
  it.each(realDocuments)(
    '%s: only NormalizeError escapes, every resource is schema-valid',
    (_, document) => {
      fc.assert(
        fc.property(mutations(document), (ms) => {
          const mutated = mutate(document, ms);
          const first = run(mutated);
          expect(run(mutated).resources).toEqual(first.resources);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('a truncated Pub/Sub message (JSON cut anywhere) is a NormalizeError', () => {
    const push = nativeFixture('pubsub-push-feed-bucket.json') as { message: { data: string } };
    const json = Buffer.from(push.message.data, 'base64').toString('utf8');
    fc.assert(
      fc.property(fc.nat({ max: json.length - 1 }), (cut) => {
        const truncated = structuredClone(push);
        truncated.message.data = Buffer.from(json.slice(0, cut)).toString('base64');
        expect(() => gcpInventory.unwrap(truncated, 'push')).toThrow(NormalizeError);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: a violating record never comes back compliant', () => {
  it.each(CATALOG)('$rule ($violating)', (c) => {
    const document = nativeFixture(c.violating);
    fc.assert(
      fc.property(mutations(document), (ms) => {
        const { resources } = run(mutate(document, ms));
        // Deleting or truncating the violating value itself (or what holds it) makes the record
        // say something else; every other change — and any wrong type anywhere — must leave the
        // verdict violating or unknown.
        const rewritesDatum = ms.some((m) => {
          if (m.kind === 'replace') return false;
          // Deleting a list entry shifts the later ones: any deletion in a list holding a datum counts.
          const list = m.path.slice(0, -1);
          const scope = m.kind === 'delete' && Array.isArray(at(document, list)) ? list : m.path;
          return c.datums.some((datum) => isPrefix(scope, datum));
        });
        if (rewritesDatum) return;
        for (const resource of resources.filter((r) => r.kind === c.kind)) {
          expect(
            c.verdict(resource),
            `${JSON.stringify(ms)} → ${JSON.stringify(resource.properties)}`,
          ).not.toBe(false);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
