import type { Resource } from '@drift-detective/resource-model';
import { assertValidResource, builtPolicyEngine } from '@drift-detective/testing';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSupportedType, SUPPORTED_TYPES } from '../src/index.js';
import {
  asAsset,
  flightBody,
  gcpCorpus,
  gcpCorpusNames,
  must,
  scan,
  toNdjsonLines,
} from './helpers.js';

type Data = Record<string, unknown>;
type Documents = { document: unknown; source: string }[];

const items = (file: string, key = 'items') => flightBody(file)[key] as Data[];
const bucket = (b: Data) =>
  asAsset(b, 'storage.googleapis.com/Bucket', `//storage.googleapis.com/${b['name']}`);
const firewall = (f: Data) =>
  asAsset(
    f,
    'compute.googleapis.com/Firewall',
    `//compute.googleapis.com/projects/cloud-custodian/global/firewalls/${f['name']}`,
  );
const sql = (i: Data) =>
  asAsset(
    i,
    'sqladmin.googleapis.com/Instance',
    `//cloudsql.googleapis.com/projects/${i['project']}/instances/${i['name']}`,
  );
const docs = (file: string, values: unknown[]): Documents =>
  values.map((document, i) => ({ document, source: `${file}#${i}` }));

/**
 * How each recorded file becomes input. The `cai-export-*` files and the batchGetAssetsHistory
 * body are product input shapes; the other flights are REST bodies, wrapped into CAI assets
 * (resource.data = the REST resource), as Cloud Asset Inventory carries them.
 */
const WALK: Record<string, { documents: (file: string) => Documents } | { skip: string }> = {
  'flight-storage-bucket-get.json': { documents: (f) => docs(f, [bucket(flightBody(f))]) },
  'flight-storage-buckets-list.json': { documents: (f) => docs(f, items(f).map(bucket)) },
  'flight-storage-bucket-iam-allusers.json': {
    documents: (f) =>
      docs(f, [
        {
          name: '//storage.googleapis.com/cloud-custodian-test-1',
          assetType: 'storage.googleapis.com/Bucket',
          iamPolicy: flightBody(f),
        },
      ]),
  },
  'flight-compute-firewall-get-all-open.json': {
    documents: (f) => docs(f, [firewall(flightBody(f))]),
  },
  'flight-compute-firewalls-list.json': { documents: (f) => docs(f, items(f).map(firewall)) },
  'flight-compute-network-effective-firewalls.json': {
    documents: (f) => docs(f, items(f, 'firewalls').map(firewall)),
  },
  'flight-sql-instance-get.json': { documents: (f) => docs(f, [sql(flightBody(f))]) },
  'flight-sql-instances-list.json': { documents: (f) => docs(f, items(f).map(sql)) },
  'flight-kms-cryptokey-get.json': {
    documents: (f) => {
      const body = flightBody(f);
      return docs(f, [
        asAsset(
          body,
          'cloudkms.googleapis.com/CryptoKey',
          `//cloudkms.googleapis.com/${body['name']}`,
        ),
      ]);
    },
  },
  'flight-cloudasset-batch-get-assets-history.json': { documents: (f) => docs(f, [flightBody(f)]) },
  'flight-cloudasset-search-all-resources.json': {
    skip:
      'searchAll (v1p1beta1) answers ResourceSearchResult summaries (displayName, location, labels, project): ' +
      'no Cloud Asset record, no resource data — nothing the normalizers read',
  },
};
const isExport = (file: string) => file.startsWith('cai-export-');

/** Every file and how many resources it must give. */
const EXPECTED_COUNTS: Record<string, number> = {
  'cai-export-bucket-iam-world-readable.json': 3,
  'cai-export-buckets-policy-only.json': 4,
  'cai-export-firewalls-logs-ancestors.json': 2,
  'cai-export-firewalls-protocol-and-all-ports.json': 5,
  'cai-export-firewalls-protocol-and-port.json': 8,
  'cai-export-firewalls-sources.json': 12,
  'cai-export-iam-policies-mixed.json': 6,
  'cai-export-sql-authorized-networks.json': 3,
  'cai-export-sql-public-ip.json': 4,
  'flight-storage-bucket-get.json': 1,
  'flight-storage-buckets-list.json': 10,
  'flight-storage-bucket-iam-allusers.json': 1,
  'flight-compute-firewall-get-all-open.json': 1,
  'flight-compute-firewalls-list.json': 1,
  'flight-compute-network-effective-firewalls.json': 5,
  'flight-sql-instance-get.json': 1,
  'flight-sql-instances-list.json': 1,
  'flight-kms-cryptokey-get.json': 1,
  'flight-cloudasset-batch-get-assets-history.json': 1,
  'flight-cloudasset-search-all-resources.json': 0,
};

function walk(file: string): Documents {
  if (isExport(file)) return [{ document: gcpCorpus(file), source: file }];
  const how = WALK[file];
  if (how === undefined)
    throw new Error(`${file} is in the corpus but not in WALK: say how to read it or why not`);
  return 'skip' in how ? [] : how.documents(file);
}

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await builtPolicyEngine();
});

function expectValid(resources: Resource[]): void {
  for (const resource of resources) {
    assertValidResource(resource, resource.id);
    // Every corpus record that normalizes also evaluates: no policy runtime error.
    expect(engine.evaluate(resource), resource.id).toEqual(engine.evaluateEveryRule(resource));
    const kind = isSupportedType(resource.nativeType)
      ? SUPPORTED_TYPES[resource.nativeType]
      : 'other';
    expect(resource.kind, resource.id).toBe(kind);
  }
}

describe('every recorded GCP payload', () => {
  it('is accounted for', () => {
    expect(gcpCorpusNames().sort()).toEqual(Object.keys(EXPECTED_COUNTS).sort());
    for (const file of gcpCorpusNames()) {
      expect(isExport(file) || WALK[file] !== undefined, file).toBe(true);
    }
  });

  it.each(gcpCorpusNames())('%s normalizes without error into valid resources', (file) => {
    const { resources, errors } = scan(walk(file));
    expect(errors).toEqual([]);
    expect(resources).toHaveLength(must(EXPECTED_COUNTS[file], file));
    expectValid(resources);
    expect(new Set(resources.map((r) => r.id)).size).toBe(resources.length);
  });

  it.each(gcpCorpusNames().filter(isExport))(
    '%s gives the same resources fed line by line (NDJSON)',
    (file) => {
      const lines = toNdjsonLines(gcpCorpus(file) as unknown[]);
      const fromLines = scan(
        lines.map((line, i) => ({ document: JSON.parse(line), source: `${file}:${i + 1}` })),
      );
      expect(fromLines.errors).toEqual([]);
      expect(fromLines.resources).toEqual(scan(walk(file)).resources);
    },
  );

  it('gives one scan of the whole corpus with no error and no duplicate id', () => {
    const { resources, errors } = scan(gcpCorpusNames().flatMap(walk));
    expect(errors).toEqual([]);
    const total = Object.values(EXPECTED_COUNTS).reduce((a, b) => a + b, 0);
    expect(resources).toHaveLength(total);
    expectValid(resources);
  });
});
