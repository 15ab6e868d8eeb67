import { NormalizeError, type NativeRecord, type Resource } from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awsInventory, SUPPORTED_TYPES } from '../src/index.js';
import { catalogFixture, VERDICTS } from './catalog.js';
import { corpus, corpusFiles, defined, native, nativeFiles, scanContext } from './helpers.js';

/** Runs a document through unwrap, collect and normalize: only NormalizeError may escape, every resource is valid. */
function survive(document: unknown): Resource[] {
  expect(typeof awsInventory.detect(document)).toBe('boolean');
  let records: NativeRecord[];
  try {
    records = awsInventory.unwrap(document, 'prop');
  } catch (error) {
    if (error instanceof NormalizeError) return [];
    throw error;
  }
  const context = scanContext();
  const resources: Resource[] = [];
  for (const record of records) {
    if (awsInventory.collect(record, context)) continue;
    const resource = normalizeRecord(record, context);
    if (resource) resources.push(resource);
  }
  return resources;
}

function normalizeRecord(record: NativeRecord, context = scanContext()): Resource | null {
  try {
    const resource = awsInventory.normalize(record, context);
    assertValidResource(resource, record.source);
    return resource;
  } catch (error) {
    if (error instanceof NormalizeError) return null;
    throw error;
  }
}

function unwrapped(document: unknown, source: string): NativeRecord[] {
  try {
    return awsInventory.unwrap(document, source);
  } catch {
    return [];
  }
}

// ---- mutations of real records -------------------------------------------------------

type Path = (string | number)[];

/** Every path below the root, with the value there. */
function nodes(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  return children.flatMap(([key, child]) => [
    { path: [...path, key], value: child },
    ...nodes(child, [...path, key]),
  ]);
}

/** JSON text or URL-encoded JSON: the strings whose truncation is a realistic corruption. */
function isEncoded(value: unknown): value is string {
  return typeof value === 'string' && /^\s*(?:[[{"]|%7B|%5B)/i.test(value) && value.length > 1;
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

type Mutation =
  | { kind: 'delete'; pick: number }
  | { kind: 'wrongType'; pick: number; replacement: unknown }
  | { kind: 'truncate'; pick: number; keep: number };

const notNull = fc.oneof(
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
);

function mutations(replacement: fc.Arbitrary<unknown>, maxLength = 3): fc.Arbitrary<Mutation[]> {
  const one: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('wrongType' as const), pick: fc.nat(), replacement }),
    fc.record({
      kind: fc.constant('truncate' as const),
      pick: fc.nat(),
      keep: fc.double({ min: 0, max: 0.99, noNaN: true }),
    }),
  );
  return fc.array(one, { minLength: 1, maxLength });
}

/** Any wrong type, null included. */
const ANY_MUTATIONS = mutations(fc.oneof(fc.constant(null), notNull));
/**
 * One corruption at a time, by a wrong type other than null. In Config items
 * null is the documented "none" of many fields (policyText null = no bucket
 * policy, iamInstanceProfile null = no profile), and several edits together
 * can rebuild another well-formed record (delete ipv4Ranges and ipv6Ranges and
 * a permission reads like a 2016 item with no IPv6): those are other records,
 * not corrupted ones, and may rightly read as compliant.
 */
const CORRUPTIONS = mutations(notNull, 1);

function setAt(
  root: unknown,
  path: Path,
  update: (parent: Record<string | number, unknown>, key: string | number) => void,
) {
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) update(parent, last);
}

function applyMutation(value: unknown, m: Mutation): unknown {
  const copy = structuredClone(value);
  const all = nodes(copy);
  if (m.kind === 'truncate') {
    const encoded = all.filter((n) => isEncoded(n.value));
    const target = encoded[m.pick % Math.max(encoded.length, 1)];
    if (!target) return copy;
    const text = target.value as string;
    setAt(copy, target.path, (parent, key) => {
      parent[key] = text.slice(0, Math.floor(text.length * m.keep));
    });
    return copy;
  }
  const target = all[m.pick % Math.max(all.length, 1)];
  if (!target) return copy;
  setAt(copy, target.path, (parent, key) => {
    if (m.kind === 'delete' && !Array.isArray(parent)) {
      delete parent[key];
      return;
    }
    const next = m.kind === 'wrongType' ? m.replacement : false;
    // A replacement of the same type is no wrong type: take one that surely is not.
    const fallback = typeOf(target.value) === 'number' ? false : 0;
    parent[key] = typeOf(next) === typeOf(target.value) ? fallback : next;
  });
  return copy;
}

function mutateRecord(record: NativeRecord, mutations: Mutation[]): NativeRecord {
  return { ...record, value: mutations.reduce(applyMutation, record.value) };
}

/** Real records: every corpus and fixture record, and the decoded native of each (deep fields reachable). */
const REAL: NativeRecord[] = [
  ...corpusFiles('aws').flatMap((file) => unwrapped(corpus(file), file)),
  ...nativeFiles().flatMap((file) => unwrapped(native(file), file)),
];
const DECODED: NativeRecord[] = REAL.flatMap((record) => {
  const resource = normalizeRecord(record);
  return resource
    ? [{ ...record, source: `${record.source} (decoded)`, value: resource.native }]
    : [];
});

const VIOLATING = nativeFiles().flatMap((file) => {
  const fixture = catalogFixture(file);
  if (fixture?.expected !== 'violating') return [];
  const record = defined(awsInventory.unwrap(native(file), file)[0], file);
  const decoded = { ...record, value: defined(normalizeRecord(record), file).native };
  return [
    { rule: fixture.rule, record },
    { rule: fixture.rule, record: decoded },
  ];
});

const RUNS = { numRuns: 400 };

describe('property: arbitrary input', () => {
  it('random JSON documents: only NormalizeError escapes, every resource is valid', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (document) => void survive(document)),
      { numRuns: 1000 },
    );
  });

  it('random configuration items of every supported type', () => {
    const encodedOrNot = (arb: fc.Arbitrary<unknown>) =>
      fc.oneof(
        arb,
        arb.map((v) => JSON.stringify(v)),
      );
    const item = fc.record(
      {
        resourceType: fc.constantFrom(
          ...Object.keys(SUPPORTED_TYPES),
          'AWS::S3::AccountPublicAccessBlock',
          'AWS::SQS::Queue',
        ),
        ARN: fc.oneof(fc.constant('arn:aws:s3:::b'), fc.string()),
        awsRegion: fc.constantFrom('us-east-1', 'global', ''),
        awsAccountId: fc.constantFrom('123456789012', ''),
        configurationItemStatus: fc.constantFrom(
          'OK',
          'ResourceDiscovered',
          'ResourceDeleted',
          'x',
        ),
        configurationItemCaptureTime: fc.oneof(fc.string(), fc.double(), fc.jsonValue()),
        configuration: encodedOrNot(fc.jsonValue()),
        supplementaryConfiguration: fc.dictionary(
          fc.constantFrom(
            'PublicAccessBlockConfiguration',
            'ServerSideEncryptionConfiguration',
            'AccessControlList',
            'BucketPolicy',
            'BucketVersioningConfiguration',
            'KeyRotationStatus',
            'Policy',
            'Tags',
          ),
          encodedOrNot(fc.jsonValue()),
        ),
        tags: fc.jsonValue(),
      },
      { requiredKeys: ['resourceType'] },
    );
    fc.assert(
      fc.property(item, (value) => void survive(value)),
      { numRuns: 1000 },
    );
  });
});

describe('property: mutated real records', () => {
  it('fields deleted, replaced by wrong types, JSON strings truncated: only NormalizeError escapes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REAL, ...DECODED), ANY_MUTATIONS, (record, changes) => {
        normalizeRecord(mutateRecord(record, changes));
        const context = scanContext();
        expect(typeof awsInventory.collect(mutateRecord(record, changes), context)).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('a violating record never comes back compliant on the rule it violates', () => {
    expect(VIOLATING.length).toBeGreaterThanOrEqual(30);
    fc.assert(
      fc.property(fc.constantFrom(...VIOLATING), CORRUPTIONS, ({ rule, record }, changes) => {
        const resource = normalizeRecord(mutateRecord(record, changes));
        if (resource === null) return;
        const verdict = defined(VERDICTS[rule], rule)(resource);
        expect(verdict, `${record.source} ${JSON.stringify(changes)}`).not.toBe('compliant');
      }),
      { numRuns: 3000 },
    );
  });

  it('the order of security group permissions, attached policies and ACL grants does not change the output', () => {
    type Item = {
      configuration: Record<string, unknown[]>;
      supplementaryConfiguration: Record<string, unknown>;
    };
    const sg = structuredClone(native('dd-net-001-violating-ssh-open.json')) as Item;
    sg.configuration['ipPermissions']?.push(
      {
        ipProtocol: 'udp',
        fromPort: 53,
        toPort: 53,
        ipRanges: ['10.0.0.0/8'],
        ipv4Ranges: [{ cidrIp: '10.0.0.0/8' }],
        ipv6Ranges: [],
      },
      {
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        ipRanges: [],
        ipv4Ranges: [],
        ipv6Ranges: [],
        prefixListIds: [{ prefixListId: 'pl-63a5400a' }],
      },
    );
    const role = structuredClone(native('dd-iam-001-violating-role-inline-admin.json')) as Item;
    role.configuration['attachedManagedPolicies']?.push(
      { policyName: 'ReadOnlyAccess', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      { policyName: 'Custom', policyArn: 'arn:aws:iam::123456789012:policy/Custom' },
    );
    const bucket = structuredClone(native('dd-storage-002-violating-acl-all-users.json')) as Item;
    const acl = JSON.parse(String(bucket.supplementaryConfiguration['AccessControlList'])) as {
      grantList: unknown[];
    };
    acl.grantList.push({ grantee: 'LogDelivery', permission: 'Write' });
    bucket.supplementaryConfiguration['AccessControlList'] = JSON.stringify(acl);

    const lists: {
      document: Item;
      get: (d: Item) => unknown[];
      set: (d: Item, l: unknown[]) => void;
    }[] = [
      {
        document: sg,
        get: (d) => d.configuration['ipPermissions'] ?? [],
        set: (d, l) => void (d.configuration['ipPermissions'] = l),
      },
      {
        document: role,
        get: (d) => d.configuration['attachedManagedPolicies'] ?? [],
        set: (d, l) => void (d.configuration['attachedManagedPolicies'] = l),
      },
      {
        document: bucket,
        get: () => acl.grantList,
        set: (d, l) =>
          void (d.supplementaryConfiguration['AccessControlList'] = JSON.stringify({
            ...acl,
            grantList: l,
          })),
      },
    ];
    for (const { document, get } of lists) {
      expect(get(document).length).toBeGreaterThanOrEqual(3);
    }
    const permuted = fc.constantFrom(...lists).chain((entry) =>
      fc
        .shuffledSubarray(entry.get(entry.document), {
          minLength: entry.get(entry.document).length,
        })
        .map((order) => ({ entry, order })),
    );
    fc.assert(
      fc.property(permuted, ({ entry, order }) => {
        const shuffled = structuredClone(entry.document);
        entry.set(shuffled, order);
        const original = normalizeRecord({ provider: 'aws', source: 'a', value: entry.document });
        const reordered = normalizeRecord({ provider: 'aws', source: 'a', value: shuffled });
        expect(original).not.toBeNull();
        expect(reordered?.properties).toEqual(original?.properties);
      }),
      RUNS,
    );
  });
});
