import type { PropertiesOf, Resource } from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { azureInventory } from '../src/index.js';
import {
  cassetteBodies,
  must,
  native,
  newContext,
  ofKind,
  only,
  scan,
  scanOne,
  SCAN_STARTED,
} from './helpers.js';

type Bucket = PropertiesOf<'storage.bucket'>;

const AWS_GCP_NULLS = {
  publicAccessBlock: null,
  accountPublicAccessBlock: null,
  publicAccessPrevention: null,
  publicAccessPreventionPolicy: null,
  aclGrants: null,
  policy: null,
  policyAbsent: null,
  iamBindings: null,
};

function bucket(partial: Partial<Bucket>): Bucket {
  return {
    ...AWS_GCP_NULLS,
    allowBlobPublicAccess: null,
    containerPublicAccess: null,
    encryption: { atRest: null, algorithm: null, keyId: null },
    transport: { httpsOnly: null, minimumTlsVersion: null },
    versioning: { enabled: null },
    crossTenantReplication: null,
    infrastructureEncryption: null,
    uniformAccess: null,
    publicNetworkAccess: null,
    trustedServicesBypass: null,
    privateEndpoint: null,
    ...partial,
  };
}

/** A recorded account's properties after `edit` changed its ARM properties. */
function accountWith(edit: (properties: Record<string, unknown>) => void): Bucket {
  const body = structuredClone(native('dd-storage-006-compliant-same-tenant-only.json')) as {
    properties: Record<string, unknown>;
  };
  edit(body.properties);
  return ofKind(only(scanOne(body)), 'storage.bucket').properties;
}

const platformKey = { atRest: true, algorithm: 'Microsoft.Storage', keyId: null };

describe('Microsoft.Storage/storageAccounts', () => {
  const recorded2019 = scan(cassetteBodies('azure/cassette-storage-accounts-list.json'));
  const recorded2021 = scan(
    cassetteBodies('azure/cassette-storage-accounts-list-2021-blob-services.json'),
  );

  it.each([
    {
      what: '2019 API: allowBlobPublicAccess and minimumTlsVersion absent → null, not false',
      resource: only(recorded2019, 'cloudcustodiantest'),
      expected: bucket({
        // networkAcls.bypass "AzureServices", as recorded.
        trustedServicesBypass: true,
        encryption: platformKey,
        transport: { httpsOnly: false, minimumTlsVersion: null },
      }),
    },
    {
      what: '2021 API: allowBlobPublicAccess false, TLS1_0',
      resource: only(recorded2021, 'bfsdevstorage'),
      expected: bucket({
        // privateEndpointConnections [] as recorded: none.
        privateEndpoint: false,
        // networkAcls.bypass "AzureServices", as recorded.
        trustedServicesBypass: true,
        allowBlobPublicAccess: false,
        encryption: platformKey,
        transport: { httpsOnly: true, minimumTlsVersion: 'TLS1_0' },
      }),
    },
    {
      what: '2021 API: allowBlobPublicAccess true, TLS1_2',
      resource: only(recorded2021, 'dfhteststore'),
      expected: bucket({
        // privateEndpointConnections [] as recorded: none.
        privateEndpoint: false,
        // networkAcls.bypass "AzureServices", as recorded.
        trustedServicesBypass: true,
        allowBlobPublicAccess: true,
        // As recorded: the account allows object replication to other tenants.
        crossTenantReplication: true,
        infrastructureEncryption: false,
        encryption: platformKey,
        transport: { httpsOnly: true, minimumTlsVersion: 'TLS1_2' },
      }),
    },
    {
      what: '2021 list, account created on an old API: keys absent → null',
      resource: only(recorded2021, 'cctstorageyenndgetjsvtg'),
      expected: bucket({
        // privateEndpointConnections [] as recorded: none.
        privateEndpoint: false,
        // networkAcls.bypass "AzureServices", as recorded.
        trustedServicesBypass: true,
        encryption: platformKey,
        transport: { httpsOnly: false, minimumTlsVersion: null },
      }),
    },
    {
      what: 'customer-managed key: keyvaulturi + keys/name/version',
      resource: only(scanOne(native('storage-account-customer-managed-key.json'))),
      expected: bucket({
        // privateEndpointConnections [] as recorded: none.
        privateEndpoint: false,
        // networkAcls.bypass "AzureServices", as recorded.
        trustedServicesBypass: true,
        allowBlobPublicAccess: false,
        encryption: {
          atRest: true,
          algorithm: 'Microsoft.Keyvault',
          keyId:
            'https://drift-kv.vault.azure.net/keys/storage-key/0123456789abcdef0123456789abcdef',
        },
        transport: { httpsOnly: true, minimumTlsVersion: 'TLS1_2' },
        infrastructureEncryption: false,
      }),
    },
    {
      what: 'blob encryption disabled → atRest false',
      resource: only(scanOne(native('dd-storage-003-violating-blob-encryption-disabled.json'))),
      expected: bucket({
        // privateEndpointConnections [] as recorded: none.
        privateEndpoint: false,
        // networkAcls.bypass "AzureServices", as recorded.
        trustedServicesBypass: true,
        allowBlobPublicAccess: false,
        encryption: { atRest: false, algorithm: 'Microsoft.Storage', keyId: null },
        transport: { httpsOnly: true, minimumTlsVersion: 'TLS1_2' },
        infrastructureEncryption: false,
      }),
    },
    {
      what: 'versioning from the blobServices/default record of the same inventory',
      resource: only(scanOne(native('dd-storage-005-violating-versioning-off.json'))),
      expected: bucket({
        // privateEndpointConnections [] as recorded: none.
        privateEndpoint: false,
        // networkAcls.bypass "AzureServices", as recorded.
        trustedServicesBypass: true,
        allowBlobPublicAccess: false,
        encryption: platformKey,
        transport: { httpsOnly: true, minimumTlsVersion: 'TLS1_2' },
        versioning: { enabled: false },
        infrastructureEncryption: false,
      }),
    },
  ])('$what', ({ resource, expected }) => {
    assertValidResource(resource);
    expect(resource.kind).toBe('storage.bucket');
    expect(resource.properties).toEqual(expected);
  });

  it('reads the common ARM fields', () => {
    const resource = only(recorded2021, 'cs21003200215f0ad6b');
    expect(resource).toMatchObject({
      provider: 'azure',
      nativeType: 'Microsoft.Storage/storageAccounts',
      id: '/subscriptions/ea42f556-5106-4743-99b0-c129bfa71a47/resourceGroups/vkagusa/providers/Microsoft.Storage/storageAccounts/cs21003200215f0ad6b',
      account: 'ea42f556-5106-4743-99b0-c129bfa71a47',
      region: 'eastus',
      tags: { 'ms-resource-usage': 'azure-cloud-shell' },
      // ARM bodies carry no capture time: the scan's.
      observedAt: SCAN_STARTED,
    });
  });

  it('takes no versioning from a blobServices record without isVersioningEnabled', () => {
    const resource = ofKind(only(recorded2021, 'cctstorageyenndgetjsvtg'), 'storage.bucket');
    expect(recorded2021.contextOnly.map((r) => r.source)).toEqual([
      'cassette-storage-accounts-list-2021-blob-services.json#1',
    ]);
    expect(resource.properties.versioning.enabled).toBeNull();
  });

  it('matches a blobServices record to its account whatever the order and id case', () => {
    const [account, service] = native('dd-storage-005-compliant-versioning-on.json') as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    const shouting = { ...service, id: String(service['id']).toUpperCase() };
    const resource = ofKind(only(scanOne([shouting, account])), 'storage.bucket');
    expect(resource.properties.versioning.enabled).toBe(true);
  });

  it.each([
    ['Enabled', true],
    ['Disabled', false],
    ['SecuredByPerimeter', false],
    [undefined, null],
    [true, null],
  ])('publicNetworkAccess %j reads as %j', (value, expected) => {
    const account = accountWith((p) => (p['publicNetworkAccess'] = value));
    expect(account.publicNetworkAccess).toBe(expected);
  });

  it.each([
    ['AzureServices', true],
    ['Logging, Metrics, AzureServices', true],
    ['Logging, Metrics', false],
    ['None', false],
    [undefined, null],
    [['AzureServices'], null],
  ])('networkAcls.bypass %j reads as trusted services %j', (bypass, expected) => {
    const account = accountWith(
      (p) => ((p['networkAcls'] as Record<string, unknown>)['bypass'] = bypass),
    );
    expect(account.trustedServicesBypass).toBe(expected);
  });

  it.each([
    [[], false],
    [[{ properties: { privateLinkServiceConnectionState: { status: 'Approved' } } }], true],
    [[{ properties: { privateLinkServiceConnectionState: { status: 'Rejected' } } }], false],
    [[{ properties: {} }], null],
    [
      [
        { properties: {} },
        { properties: { privateLinkServiceConnectionState: { status: 'Approved' } } },
      ],
      true,
    ],
    [undefined, null],
  ])('privateEndpointConnections %j reads as private endpoint %j', (connections, expected) => {
    const account = accountWith((p) => (p['privateEndpointConnections'] = connections));
    expect(account.privateEndpoint).toBe(expected);
  });

  it('Resource Graph table row and ARM body of the same account normalize alike', () => {
    const [arm, graph] = cassetteBodies('azure/cassette-resource-graph-and-arm-storage.json').map(
      ({ body, source }) => only(scanOne(body, source)),
    ) as [Resource, Resource];
    expect(graph.native).toMatchObject({ type: 'microsoft.storage/storageaccounts' });
    expect(graph.nativeType).toBe('Microsoft.Storage/storageAccounts');
    // The 2019 ARM body predates privateEndpointConnections; the Resource Graph row lists [].
    expect(ofKind(arm, 'storage.bucket').properties.privateEndpoint).toBeNull();
    expect(ofKind(graph, 'storage.bucket').properties.privateEndpoint).toBe(false);
    const withoutEndpoint = (r: Resource) => ({
      ...r,
      native: null,
      properties: { ...r.properties, privateEndpoint: null },
    });
    expect(withoutEndpoint(graph)).toEqual(withoutEndpoint(arm));
  });

  it('a blobServices record whose account never came is a leftover account', () => {
    const [, service] = native('dd-storage-005-violating-versioning-off.json') as unknown[];
    const result = scanOne(service);
    expect(result.resources).toEqual([]);
    expect(result.leftovers).toHaveLength(1);
    const leftover = ofKind(must(result.leftovers[0]), 'storage.bucket');
    assertValidResource(leftover);
    expect(leftover).toMatchObject({
      id: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-drift/providers/Microsoft.Storage/storageAccounts/ddstor005unversioned',
      name: 'ddstor005unversioned',
      account: '00000000-1111-2222-3333-444444444444',
      properties: bucket({ versioning: { enabled: false } }),
    });
  });
});

describe('Microsoft.Storage/storageAccounts/blobServices/containers', () => {
  const recorded = scan(cassetteBodies('azure/cassette-storage-containers.json'));
  const containers = recorded.resources.filter(
    (r) => r.nativeType === 'Microsoft.Storage/storageAccounts/blobServices/containers',
  );

  it.each([
    { name: 'containerone', access: 'Container' },
    { name: 'containertwo', access: 'None' },
  ])('$name: publicAccess "$access" kept as the string', ({ name, access }) => {
    const resource = must(containers.find((r) => r.name === name));
    assertValidResource(resource);
    expect(resource.properties).toEqual(
      // The recorded account predates allowBlobPublicAccess: unknown, copied as null.
      bucket({ containerPublicAccess: access }),
    );
    // Containers have no location: their account's.
    expect(resource.region).toBe('southcentralus');
  });

  it('copies allowBlobPublicAccess from its account in the same Resource Graph answer', () => {
    const result = scanOne(native('dd-storage-002-violating-public-container.json'));
    const resource = must(result.resources.find((r) => r.name === 'website'));
    expect(resource.properties).toEqual(
      bucket({ containerPublicAccess: 'Container', allowBlobPublicAccess: true }),
    );
    expect(resource.region).toBe('eastus');
  });

  it('has allowBlobPublicAccess null when its account is not in the inventory', () => {
    const answer = native('dd-storage-002-violating-public-container.json') as {
      data: unknown[];
    };
    const resource = ofKind(only(scanOne({ data: [answer.data[1]] })), 'storage.bucket');
    expect(resource.properties.allowBlobPublicAccess).toBeNull();
    expect(resource.properties.containerPublicAccess).toBe('Container');
    expect(resource.region).toBeNull();
  });

  it('a blobServices record normalized on its own is kind other', () => {
    const [, body] = cassetteBodies('azure/cassette-storage-accounts-list-2021-blob-services.json');
    const { body: document, source } = must(body);
    const [record] = azureInventory.unwrap(document, source);
    const resource = azureInventory.normalize(must(record), newContext());
    assertValidResource(resource);
    expect(resource.kind).toBe('other');
  });
});
