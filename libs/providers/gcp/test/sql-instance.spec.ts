import { assertValidResource } from '@drift-detective/testing';
import type { ResourceOf } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import {
  asAsset,
  byId,
  clone,
  flightBody,
  gcpCorpus,
  must,
  normalizeOne,
  scan,
  type Expected,
} from './helpers.js';

type Database = ResourceOf<'database.instance'>;
type Data = Record<string, unknown>;

const TYPE = 'sqladmin.googleapis.com/Instance';
const flightInstance = (body: Data) =>
  asAsset(
    body,
    TYPE,
    `//cloudsql.googleapis.com/projects/${body['project']}/instances/${body['name']}`,
  );
const listedInstance = () =>
  clone(must((flightBody('flight-sql-instances-list.json')['items'] as Data[])[0]));
const ipConfiguration = (data: Data) => (data['settings'] as Data)['ipConfiguration'] as Data;

const cases: {
  title: string;
  document: () => unknown;
  expected: Expected<Database>;
}[] = [
  {
    title: 'instances.get: private IP only (ipv4Enabled false), authorizedNetworks []',
    document: () => flightInstance(flightBody('flight-sql-instance-get.json')),
    expected: {
      id: '//cloudsql.googleapis.com/projects/cloud-custodian/instances/brenttest-2',
      name: 'brenttest-2',
      account: 'cloud-custodian',
      properties: {
        engine: 'mysql',
        engineVersion: 'MYSQL_5_7',
        publicNetworkAccess: false,
        allowedNetworks: [],
        storageEncrypted: true,
        kmsKeyId: null,
      },
    },
  },
  {
    title: 'instances.list: public IP with nobody authorized',
    document: () => flightInstance(listedInstance()),
    expected: { properties: { publicNetworkAccess: true, allowedNetworks: [] } },
  },
  {
    title: 'a bare authorized address becomes /32; the entry name is kept; CMEK key',
    document: () => {
      const data = listedInstance();
      ipConfiguration(data)['authorizedNetworks'] = [
        { kind: 'sql#aclEntry', name: 'office', value: '198.51.100.7' },
      ];
      data['diskEncryptionConfiguration'] = {
        kmsKeyName: 'projects/cloud-custodian/locations/us-central1/keyRings/sql/cryptoKeys/db',
        kind: 'sql#diskEncryptionConfiguration',
      };
      return flightInstance(data);
    },
    expected: {
      properties: {
        allowedNetworks: [
          {
            name: 'office',
            cidr: '198.51.100.7/32',
            startIp: null,
            endIp: null,
            // 198.51.100.7 is 0xc6336407: one address.
            span: { family: 'ipv4', start: '0c6336407', end: '0c6336408' },
          },
        ],
        kmsKeyId: 'projects/cloud-custodian/locations/us-central1/keyRings/sql/cryptoKeys/db',
      },
    },
  },
  {
    title: 'an authorized network that is no address: the list is unknown, not shorter',
    document: () => {
      const data = listedInstance();
      ipConfiguration(data)['authorizedNetworks'] = [{ value: '0.0.0.0/0' }, { value: 'office' }];
      return flightInstance(data);
    },
    expected: { properties: { allowedNetworks: null } },
  },
  {
    title: 'no ipConfiguration at all: reachability unknown',
    document: () => {
      const data = listedInstance();
      delete (data['settings'] as Data)['ipConfiguration'];
      return flightInstance(data);
    },
    expected: { properties: { publicNetworkAccess: null, allowedNetworks: null } },
  },
  {
    title: 'flags as name → value, sorted; a flag without a value reads ""; none set reads {}',
    document: () => {
      const data = listedInstance();
      (data['settings'] as Data)['databaseFlags'] = [
        { name: 'log_statement', value: 'ddl' },
        { name: '3625' },
        { name: 'log_connections', value: 'on' },
      ];
      return flightInstance(data);
    },
    expected: {
      properties: { databaseFlags: { '3625': '', log_connections: 'on', log_statement: 'ddl' } },
    },
  },
  {
    title: 'no databaseFlags: nothing set, the engine defaults apply',
    document: () => flightInstance(listedInstance()),
    expected: { properties: { databaseFlags: {} } },
  },
  {
    title: 'a flag entry that cannot be read: the flags are unknown, not fewer',
    document: () => {
      const data = listedInstance();
      (data['settings'] as Data)['databaseFlags'] = [
        { name: 'log_connections', value: 'on' },
        { value: 'on' },
      ];
      return flightInstance(data);
    },
    expected: { properties: { databaseFlags: null } },
  },
  {
    title: 'no settings at all: flags unknown',
    document: () => {
      const data = listedInstance();
      delete data['settings'];
      return flightInstance(data);
    },
    expected: { properties: { databaseFlags: null, tlsRequired: null } },
  },
  ...(
    [
      ['ENCRYPTED_ONLY', undefined, true],
      ['TRUSTED_CLIENT_CERTIFICATE_REQUIRED', false, true],
      ['ALLOW_UNENCRYPTED_AND_ENCRYPTED', true, false],
      [undefined, true, true],
      [undefined, false, false],
      ['SSL_MODE_UNSPECIFIED', undefined, null],
      [undefined, undefined, null],
    ] as const
  ).map(([sslMode, requireSsl, tlsRequired]) => ({
    title: `sslMode ${sslMode ?? 'absent'} with requireSsl ${String(requireSsl)}: TLS required ${String(tlsRequired)}`,
    document: () => {
      const data = listedInstance();
      const ip = ipConfiguration(data);
      delete ip['sslMode'];
      delete ip['requireSsl'];
      if (sslMode !== undefined) ip['sslMode'] = sslMode;
      if (requireSsl !== undefined) ip['requireSsl'] = requireSsl;
      return flightInstance(data);
    },
    expected: { properties: { tlsRequired } },
  })),
];

describe('sqladmin.googleapis.com/Instance → database.instance', () => {
  it.each(cases)('$title', ({ document, expected }) => {
    const resource = normalizeOne(document()) as Database;
    assertValidResource(resource);
    expect(resource.kind).toBe('database.instance');
    const { properties, ...top } = expected;
    expect(resource).toMatchObject(top);
    expect(resource.properties).toMatchObject(properties ?? {});
  });

  it('reads the CAI exports: cloudsql host in the name, 0.0.0.0/0 authorized, no parent', () => {
    const { resources, errors } = scan([
      { document: gcpCorpus('cai-export-sql-authorized-networks.json'), source: 'a.json' },
      { document: gcpCorpus('cai-export-sql-public-ip.json'), source: 'b.json' },
    ]);
    expect(errors).toEqual([]);
    const ids = byId(resources);
    const open = ids.get(
      '//cloudsql.googleapis.com/projects/noble-history-87417/instances/authorized-networks-0',
    ) as Database;
    expect(open.name).toBe('authorized-networks-0');
    expect(open.account).toBe('noble-history-87417');
    expect(open.properties).toMatchObject({
      publicNetworkAccess: true,
      allowedNetworks: [{ name: null, cidr: '0.0.0.0/0', startIp: null, endIp: null }],
      // This hand-trimmed export has no databaseVersion.
      engine: null,
      databaseFlags: { general_log: 'on', log_output: 'FILE', slow_query_log: 'on' },
      tlsRequired: false,
    });
    // The key is missing (not []): the export does not say who is authorized.
    const none = ids.get(
      '//cloudsql.googleapis.com/projects/noble-history-87417/instances/no-authorized-networks',
    ) as Database;
    expect(none.properties.allowedNetworks).toBeNull();
    // requireSsl true without sslMode (a record older than sslMode); no databaseFlags.
    expect(none.properties).toMatchObject({ tlsRequired: true, databaseFlags: {} });
    const privateOnly = ids.get(
      '//cloudsql.googleapis.com/projects/test-project/instances/private-sql',
    ) as Database;
    expect(privateOnly.properties).toMatchObject({
      engine: 'postgres',
      engineVersion: 'POSTGRES_9_6',
      publicNetworkAccess: false,
      // Neither sslMode nor requireSsl: the record does not say.
      tlsRequired: null,
    });
    for (const resource of resources) assertValidResource(resource, resource.id);
  });
});
