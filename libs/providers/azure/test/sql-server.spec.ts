import {
  addressSpanOfRange,
  type AddressRange,
  type PropertiesOf,
} from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { cassetteBodies, must, native, ofKind, only, scan, scanOne } from './helpers.js';

type Database = PropertiesOf<'database.instance'>;

function range(name: string, startIp: string | null, endIp: string | null): AddressRange {
  const span = startIp !== null && endIp !== null ? addressSpanOfRange(startIp, endIp) : null;
  return { name, cidr: null, startIp, endIp, span };
}

function database(partial: Partial<Database>): Database {
  return {
    engine: 'sqlserver',
    engineVersion: '12.0',
    publicNetworkAccess: null,
    allowedNetworks: null,
    storageEncrypted: null,
    kmsKeyId: null,
    automatedBackups: null,
    tlsRequired: true,
    autoMinorVersionUpgrade: null,
    databaseFlags: null,
    ...partial,
  };
}

const AZURE_SERVICES = range('AllowAllWindowsAzureIps', '0.0.0.0', '0.0.0.0');

describe('Microsoft.Sql/servers', () => {
  const bodies = cassetteBodies('azure/cassette-sql-server-firewall-rules.json');

  it.each([
    {
      what: 'recorded (body.string): 2015 API has no publicNetworkAccess; rules from separate records',
      result: () => scan(bodies),
      expected: database({
        allowedNetworks: [range('1.2.2.128s25', '1.2.2.128', '1.2.2.255'), AZURE_SERVICES],
      }),
    },
    {
      what: 'recorded server alone: firewall rules never seen → null, not []',
      result: () => scan(bodies.slice(0, 1)),
      expected: database({}),
    },
    {
      what: 'rules read before the server give the same result',
      result: () => scan([...bodies].reverse()),
      expected: database({
        allowedNetworks: [range('1.2.2.128s25', '1.2.2.128', '1.2.2.255'), AZURE_SERVICES],
      }),
    },
    {
      what: 'open range 0.0.0.0–255.255.255.255 with publicNetworkAccess Enabled',
      result: () => scanOne(native('dd-db-001-violating-open-firewall.json')),
      expected: database({
        publicNetworkAccess: true,
        allowedNetworks: [range('AllowAll', '0.0.0.0', '255.255.255.255')],
      }),
    },
    {
      what: 'AllowAllWindowsAzureIps stays the range 0.0.0.0–0.0.0.0 (Azure, not the internet)',
      result: () => scanOne(native('dd-db-001-compliant-azure-services-only.json')),
      expected: database({ publicNetworkAccess: true, allowedNetworks: [AZURE_SERVICES] }),
    },
    {
      what: 'publicNetworkAccess Disabled',
      result: () => scanOne(native('dd-db-001-compliant-public-access-disabled.json')),
      expected: database({
        publicNetworkAccess: false,
        allowedNetworks: [range('AllowAll', '0.0.0.0', '255.255.255.255')],
      }),
    },
    {
      what: 'rules joined into the Resource Graph row (nested and flattened), TDE key',
      result: () => scanOne(native('sql-server-resource-graph-join.json')),
      expected: database({
        publicNetworkAccess: true,
        allowedNetworks: [AZURE_SERVICES, range('office', '203.0.113.0', '203.0.113.255')],
        kmsKeyId: 'https://drift-kv.vault.azure.net/keys/tde-key/0123456789abcdef0123456789abcdef',
      }),
    },
  ])('$what', ({ result, expected }) => {
    const scanned = result();
    expect(scanned.errors).toEqual([]);
    expect(scanned.leftovers).toEqual([]);
    const server = ofKind(only(scanned), 'database.instance');
    assertValidResource(server);
    expect(server.nativeType).toBe('Microsoft.Sql/servers');
    expect(server.properties).toEqual(expected);
  });

  it('keeps the server location; the rules say "East US 2" but are not resources', () => {
    const result = scan(bodies);
    expect(only(result).region).toBe('eastus2');
    expect(result.contextOnly).toHaveLength(2);
  });

  it('a firewall rule with unreadable addresses stays, with unknown addresses', () => {
    const [server, rule] = structuredClone(
      native('dd-db-001-violating-open-firewall.json') as [unknown, { properties: unknown }],
    );
    rule.properties = { startIpAddress: 42 };
    const resource = ofKind(only(scanOne([server, rule])), 'database.instance');
    expect(resource.properties.allowedNetworks).toEqual([range('AllowAll', null, null)]);
  });

  it('a firewall rule that cannot be read at all is reported, and the server keeps null', () => {
    const [server, rule] = structuredClone(
      native('dd-db-001-violating-open-firewall.json') as [unknown, { properties: unknown }],
    );
    rule.properties = 'n/a';
    const result = scanOne([server, rule], 'db.json');
    expect(result.errors.map((e) => e.message)).toEqual([
      'db.json[1]: properties is text, not JSON',
    ]);
    const resource = ofKind(only(result), 'database.instance');
    expect(resource.properties.allowedNetworks).toBeNull();
  });

  it('a rule record that cannot be read makes the server’s rules unknown, not the rest', () => {
    // The halves: without the upper one the lower would read as a compliant rule set.
    const records = structuredClone(
      native('dd-db-001-violating-firewall-rules-in-halves.json') as Record<string, unknown>[],
    );
    delete must(records[2])['type'];
    const result = scanOne(records, 'db.json');
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^db\.json\[2\]: record .*\/firewallRules\/UpperHalf has no type/),
    ]);
    const resource = ofKind(only(result), 'database.instance');
    expect(resource.properties.allowedNetworks).toBeNull();
  });

  it('rules whose server never came become a leftover server', () => {
    const result = scan(bodies.slice(1));
    expect(result.resources).toEqual([]);
    expect(result.leftovers).toHaveLength(1);
    const leftover = ofKind(must(result.leftovers[0]), 'database.instance');
    assertValidResource(leftover);
    expect(leftover).toMatchObject({
      id: '/subscriptions/ea42f556-5106-4743-99b0-c129bfa71a47/resourceGroups/test_sqlserver/providers/Microsoft.Sql/servers/cctestsqlserverj6y6cbbtaphs4',
      name: 'cctestsqlserverj6y6cbbtaphs4',
      account: 'ea42f556-5106-4743-99b0-c129bfa71a47',
      region: null,
      properties: database({
        engineVersion: null,
        allowedNetworks: [range('1.2.2.128s25', '1.2.2.128', '1.2.2.255'), AZURE_SERVICES],
      }),
    });
  });
});
