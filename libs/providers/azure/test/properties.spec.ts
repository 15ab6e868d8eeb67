import { NormalizeError, type NativeRecord, type Resource } from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { azureInventory, SUPPORTED_TYPES } from '../src/index.js';
import { ruleOfFixture } from './catalog-rules.js';
import {
  cassetteBodies,
  corpusFiles,
  must,
  native,
  nativeFiles,
  newContext,
  scan,
  type ScanResult,
} from './helpers.js';

/** Unwrap + collect + normalize + leftovers; NormalizeError from unwrap counts as "unreadable". */
function scanAnything(document: unknown): ScanResult | null {
  try {
    return scan([{ body: document, source: 'prop.json' }]);
  } catch (error) {
    if (error instanceof NormalizeError) return null;
    throw error;
  }
}

function allValid(result: ScanResult | null): void {
  // Errors the normalizers did not raise on purpose would be bugs hidden as bad records.
  for (const error of result?.errors ?? []) expect(error.reason).not.toMatch(/^unexpected shape/);
  for (const resource of [...(result?.resources ?? []), ...(result?.leftovers ?? [])]) {
    assertValidResource(resource, resource.id);
  }
}

// ---------------------------------------------------------------- random values

const anyJson = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof(arb, anyJson);
const optional = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) =>
  fc.record(shape, { requiredKeys: [] });

const SUB = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers';
const ids = fc.constantFrom(
  `${SUB}/Microsoft.Storage/storageAccounts/acct`,
  `${SUB}/Microsoft.Storage/storageAccounts/acct/blobServices/default`,
  `${SUB}/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/c`,
  `${SUB}/Microsoft.Network/networkSecurityGroups/nsg`,
  `${SUB}/Microsoft.Sql/servers/db`,
  `${SUB}/Microsoft.Sql/servers/db/firewallRules/r`,
  `${SUB}/Microsoft.Sql/servers/other/firewallRules/r`,
  `${SUB}/Microsoft.Compute/virtualMachines/vm`,
  '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  'firewallRules/',
  '',
);
const types = fc
  .constantFrom(...Object.keys(SUPPORTED_TYPES), 'Microsoft.Network/publicIPAddresses', 'x')
  .chain((t) => fc.constantFrom(t, t.toLowerCase(), t.toUpperCase()));
const prefixes = fc.constantFrom(
  '*',
  'Internet',
  'Any',
  'internet',
  '0.0.0.0/0',
  '10.0.0.0/8',
  '1.2.3.4',
  '0.0.0.0/1',
  '128.0.0.0/1',
  '::/0',
  'fe80::1',
  '2001:db8::/33',
  'Storage.EastUS',
  'bad prefix!',
  '',
  '300.1.1.1',
);
const ports = fc.constantFrom('*', '22', '20-25', '0-65535', '70000', '25-20', 'x', '', ' 80 ');
const nsgRule = optional({
  name: maybe(fc.string()),
  properties: maybe(
    optional({
      direction: maybe(fc.constantFrom('Inbound', 'Outbound', 'inbound', 'Both')),
      access: maybe(fc.constantFrom('Allow', 'Deny', 'deny')),
      protocol: maybe(fc.constantFrom('*', 'Tcp', 'UDP', 'Icmp', 'Esp', '')),
      priority: maybe(fc.integer({ min: 100, max: 65500 })),
      destinationPortRange: maybe(ports),
      destinationPortRanges: maybe(fc.array(ports, { maxLength: 3 })),
      sourceAddressPrefix: maybe(prefixes),
      sourceAddressPrefixes: maybe(fc.array(prefixes, { maxLength: 3 })),
      destinationAddressPrefix: maybe(prefixes),
      destinationAddressPrefixes: maybe(fc.array(prefixes, { maxLength: 3 })),
      sourceApplicationSecurityGroups: maybe(fc.array(optional({ id: maybe(fc.string()) }))),
    }),
  ),
});
const ip = fc.oneof(fc.ipV4(), fc.constantFrom('0.0.0.0', '255.255.255.255', '1.2.3', '::1'));
const armProperties = optional({
  allowBlobPublicAccess: maybe(fc.boolean()),
  supportsHttpsTrafficOnly: maybe(fc.boolean()),
  minimumTlsVersion: maybe(fc.constantFrom('TLS1_0', 'TLS1_2', '')),
  encryption: maybe(
    optional({
      keySource: maybe(fc.constantFrom('Microsoft.Storage', 'Microsoft.Keyvault')),
      keyvaultproperties: maybe(
        optional({
          keyname: maybe(fc.string()),
          keyversion: maybe(fc.string()),
          keyvaulturi: maybe(fc.webUrl()),
          currentVersionedKeyIdentifier: maybe(fc.string()),
        }),
      ),
      services: maybe(optional({ blob: maybe(optional({ enabled: maybe(fc.boolean()) })) })),
    }),
  ),
  publicAccess: maybe(fc.constantFrom('None', 'Blob', 'Container', 'container')),
  isVersioningEnabled: maybe(fc.boolean()),
  securityRules: maybe(fc.array(maybe(nsgRule), { maxLength: 4 })),
  defaultSecurityRules: maybe(fc.array(nsgRule, { maxLength: 3 })),
  subnets: maybe(fc.array(optional({ id: maybe(fc.string()) }), { maxLength: 2 })),
  publicNetworkAccess: maybe(fc.constantFrom('Enabled', 'Disabled', 'SecuredByPerimeter')),
  firewallRules: maybe(
    fc.array(
      maybe(
        optional({
          name: maybe(fc.string()),
          properties: maybe(optional({ startIpAddress: maybe(ip), endIpAddress: maybe(ip) })),
          startIpAddress: maybe(ip),
          endIpAddress: maybe(ip),
        }),
      ),
      { maxLength: 3 },
    ),
  ),
  startIpAddress: maybe(ip),
  endIpAddress: maybe(ip),
  version: maybe(fc.string()),
  keyId: maybe(fc.string()),
  extended: maybe(
    optional({
      instanceView: maybe(
        optional({
          powerState: maybe(
            optional({ code: maybe(fc.constantFrom('PowerState/running', 'PowerState/', 'x')) }),
          ),
        }),
      ),
    }),
  ),
  instanceView: maybe(
    optional({ statuses: maybe(fc.array(maybe(optional({ code: maybe(fc.string()) })))) }),
  ),
  networkAcls: maybe(
    optional({
      defaultAction: maybe(fc.constantFrom('Allow', 'Deny')),
      ipRules: maybe(fc.array(maybe(optional({ value: maybe(prefixes) })), { maxLength: 4 })),
    }),
  ),
  permissions: maybe(
    fc.array(
      maybe(
        optional({
          actions: maybe(fc.array(fc.constantFrom('*', '*/read', 'Microsoft.Compute/*'))),
          notActions: maybe(fc.array(fc.string())),
          dataActions: maybe(fc.array(fc.string())),
          notDataActions: maybe(fc.array(fc.string())),
        }),
      ),
      { maxLength: 3 },
    ),
  ),
  assignableScopes: maybe(fc.array(fc.string(), { maxLength: 3 })),
  type: maybe(fc.constantFrom('BuiltInRole', 'CustomRole', 'customrole')),
  roleName: maybe(fc.string()),
  siteConfig: maybe(
    optional({
      linuxFxVersion: maybe(fc.constantFrom('', 'PYTHON|3.11')),
      netFrameworkVersion: maybe(fc.constantFrom('v4.0', '')),
      minTlsVersion: maybe(fc.constantFrom('1.2', '1.0')),
    }),
  ),
  httpsOnly: maybe(fc.boolean()),
});
const timestamps = fc.oneof(
  fc
    .date({
      noInvalidDate: true,
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T00:00:00Z'),
    })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2021-02-30T00:00:00Z',
    '2021-01-21T15:00:41.0000000Z',
    '2023-06-02T15:30:45+02:00',
    '0099-01-01T00:00:00Z',
    'now',
  ),
);
const armRecord = optional({
  id: maybe(ids),
  type: maybe(types),
  name: maybe(fc.string()),
  location: maybe(fc.string()),
  subscriptionId: maybe(fc.string()),
  tags: maybe(fc.dictionary(fc.string(), maybe(fc.string()), { maxKeys: 3 })),
  identity: maybe(
    optional({
      type: maybe(fc.constantFrom('None', 'SystemAssigned', 'UserAssigned')),
      principalId: maybe(fc.string()),
      userAssignedIdentities: maybe(fc.dictionary(fc.string(), fc.constant({}), { maxKeys: 2 })),
    }),
  ),
  systemData: maybe(optional({ lastModifiedAt: maybe(timestamps) })),
  properties: fc.oneof(
    armProperties,
    anyJson,
    armProperties.map((p) => JSON.stringify(p)),
  ),
});

describe('random input', () => {
  it('random JSON: unwrap and normalize throw only NormalizeError; results pass the schema', () => {
    fc.assert(
      fc.property(anyJson, (document) => {
        expect(typeof azureInventory.detect(document)).toBe('boolean');
        allValid(scanAnything(document));
        const record: NativeRecord = { provider: 'azure', source: 'r', value: document };
        try {
          assertValidResource(azureInventory.normalize(record, newContext()));
        } catch (error) {
          if (!(error instanceof NormalizeError)) throw error;
          expect(error.reason).not.toMatch(/^unexpected shape/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random ARM-shaped records of every supported type', () => {
    fc.assert(
      fc.property(
        fc.array(maybe(armRecord), { maxLength: 5 }),
        fc.boolean(),
        (records, asAnswer) => {
          allValid(scanAnything(asAnswer ? { data: records, count: records.length } : records));
        },
      ),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------- mutated real records

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  }
  return [];
}

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A value of another JSON type than `original`. */
function wrongType(original: unknown, candidate: unknown): unknown {
  if (jsonType(candidate) !== jsonType(original)) return candidate;
  const fallback: Record<string, unknown> = {
    string: 0,
    number: 'x',
    boolean: 'true',
    null: false,
    object: [],
    array: {},
  };
  return fallback[jsonType(original)];
}

interface Mutation {
  path: Path;
  op: 'delete' | 'replace';
  replacement: unknown;
}

const isPrefix = (a: Path, b: Path) => a.length <= b.length && a.every((step, i) => step === b[i]);

/**
 * Deletes an object field or replaces any value by one of another type. List items are
 * never dropped, and no two mutations touch the same value or one inside the other: a
 * second edit could otherwise turn a value back into its own type (["…"] → "x" → []),
 * rebuilding a valid, different record instead of a broken one.
 */
function mutate(document: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(document);
  const applied: Path[] = [];
  for (const { path, op, replacement } of mutations) {
    if (applied.some((done) => isPrefix(done, path) || isPrefix(path, done))) continue;
    applied.push(path);
    let parent: unknown = copy;
    for (const step of path.slice(0, -1)) {
      parent = (parent as Record<string | number, unknown> | undefined)?.[step];
    }
    if (typeof parent !== 'object' || parent === null) continue;
    const key = path[path.length - 1] ?? '';
    const target = parent as Record<string | number, unknown>;
    if (!(key in target)) continue;
    if (op === 'delete' && !Array.isArray(parent)) delete target[key];
    else target[key] = wrongType(target[key], replacement);
  }
  return copy;
}

interface Seed {
  name: string;
  document: unknown;
}

const seeds: Seed[] = [
  ...nativeFiles().map((file) => {
    const document = native(file);
    // NDJSON text: mutate its rows.
    const rows =
      typeof document === 'string'
        ? document
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as unknown)
        : document;
    return { name: file, document: rows };
  }),
  ...corpusFiles('azure').flatMap((file) =>
    cassetteBodies(file).map(({ source, body }) => ({ name: source, document: body })),
  ),
];

const wrongValues = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 5 }),
  fc.constantFrom('{', '[]', '{}', '"x"', 'true'),
  fc.constant({}),
  fc.constant([]),
  fc.array(anyJson, { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), anyJson, { maxKeys: 2 }),
);

function mutated(seed: Seed): fc.Arbitrary<{ name: string; document: unknown }> {
  const paths = pathsOf(seed.document);
  const mutation = fc.record({
    path: fc.constantFrom(...paths),
    op: fc.constantFrom<'delete' | 'replace'>('delete', 'replace'),
    replacement: wrongValues,
  });
  return fc
    .array(mutation, { minLength: 1, maxLength: 3 })
    .map((mutations) => ({ name: seed.name, document: mutate(seed.document, mutations) }));
}

const idKey = (id: string) => id.toLowerCase();

describe('mutated real records', () => {
  it('throw only NormalizeError and pass the schema', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds).chain(mutated), ({ document }) => {
        allValid(scanAnything(document));
      }),
      { numRuns: 3000 },
    );
  });

  // A violation made of pieces in several records (two firewall-rule records that together
  // admit every address) is left out: a rule record replaced by junk or stripped of its id is
  // reported unreadable but can no longer be tied to its server, which is then judged on the
  // rules that remain. (One that keeps its id makes the server's rules unknown: sql-server.spec.)
  const PIECED_ACROSS_RECORDS = new Set(['dd-db-001-violating-firewall-rules-in-halves.json']);
  const violating = seeds.filter(
    (s) => ruleOfFixture(s.name)?.violating === true && !PIECED_ACROSS_RECORDS.has(s.name),
  );

  it.each(violating.map((s) => [s.name, s] as const))(
    '%s: a mutation never turns the violating field into the compliant value',
    (_name, seed) => {
      const { rule } = must(ruleOfFixture(seed.name));
      const original = must(scanAnything(seed.document));
      const subject = must(rule.subject(original.resources));
      expect(rule.violates(subject)).toBe(true);
      fc.assert(
        fc.property(mutated(seed), ({ document }) => {
          const result = scanAnything(document);
          const same: Resource[] = [
            ...(result?.resources ?? []),
            ...(result?.leftovers ?? []),
          ].filter((r) => idKey(r.id) === idKey(subject.id) && r.kind === subject.kind);
          for (const resource of same) {
            expect(rule.compliantValue(resource), JSON.stringify(resource.properties)).toBe(false);
          }
        }),
        { numRuns: 400 },
      );
    },
  );
});

// ---------------------------------------------------------------- truncated JSON text

describe('truncated JSON strings', () => {
  const records = seeds.flatMap((seed) => {
    try {
      return azureInventory.unwrap(seed.document, seed.name);
    } catch {
      return [];
    }
  });
  const objects = records.filter(
    (r): r is NativeRecord & { value: Record<string, unknown> } =>
      typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value),
  );

  it('a properties column cut short makes the record unreadable', () => {
    const withProperties = objects.filter((r) => typeof r.value['properties'] === 'object');
    fc.assert(
      fc.property(
        fc.constantFrom(...withProperties),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (record, cut) => {
          const text = JSON.stringify(record.value['properties']);
          const truncated = text.slice(0, 1 + Math.floor(cut * (text.length - 1)));
          const value = { ...record.value, properties: truncated };
          expect(() => azureInventory.normalize({ ...record, value }, newContext())).toThrow(
            NormalizeError,
          );
          expect(azureInventory.collect({ ...record, value }, newContext())).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a whole record as JSON text cut short is unreadable, intact it reads the same', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...objects),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (record, cut) => {
          const text = JSON.stringify(record.value);
          const truncated = text.slice(0, 1 + Math.floor(cut * (text.length - 1)));
          expect(() =>
            azureInventory.normalize({ ...record, value: truncated }, newContext()),
          ).toThrow(NormalizeError);
          let direct: Resource | NormalizeError;
          try {
            direct = azureInventory.normalize(record, newContext());
          } catch (error) {
            if (!(error instanceof NormalizeError)) throw error;
            return;
          }
          expect(azureInventory.normalize({ ...record, value: text }, newContext())).toEqual(
            direct,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
