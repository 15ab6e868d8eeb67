import { assertValidResource } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import {
  cassetteBodies,
  must,
  native,
  ofKind,
  only,
  scan,
  scanOne,
  SCAN_STARTED,
} from './helpers.js';

const SUB = '00000000-1111-2222-3333-444444444444';
const UAI = `/subscriptions/${SUB}/resourceGroups/rg-drift/providers/Microsoft.ManagedIdentity/userAssignedIdentities/vm-identity`;

/** The recorded Resource Graph VM row's properties after `edit` changed its ARM properties. */
function vmWith(edit: (properties: Record<string, unknown>) => void) {
  const row = structuredClone(native('virtual-machine-resource-graph-row.json')) as {
    properties: Record<string, unknown>;
  };
  edit(row.properties);
  return ofKind(only(scanOne(row)), 'compute.instance').properties;
}

describe('Microsoft.Compute/virtualMachines', () => {
  it.each([
    {
      what: 'GET with $expand=instanceView: PowerState/running; system + user identities',
      file: 'virtual-machine-instance-view.json',
      expected: {
        state: 'running',
        metadataTokensRequired: null,
        metadataEndpointEnabled: null,
        publicIps: null,
        identities: [UAI, 'aaaaaaaa-1111-2222-3333-bbbbbbbbbbbb'],
        ipForwarding: null,
        serialPortEnabled: null,
        projectSshKeysBlocked: null,
        osLoginEnabled: null,
        // No securityProfile: a Standard VM, without secure boot or vTPM.
        shieldedVm: { secureBoot: false, vtpm: false, integrityMonitoring: null },
        managedDisks: true,
      },
      tags: { env: 'prod' },
    },
    {
      what: 'Resource Graph row: extended.instanceView.powerState; identity null → none',
      file: 'virtual-machine-resource-graph-row.json',
      expected: {
        state: 'deallocated',
        metadataTokensRequired: null,
        metadataEndpointEnabled: null,
        publicIps: null,
        identities: [],
        ipForwarding: null,
        serialPortEnabled: null,
        projectSshKeysBlocked: null,
        osLoginEnabled: null,
        // No securityProfile: a Standard VM, without secure boot or vTPM.
        shieldedVm: { secureBoot: false, vtpm: false, integrityMonitoring: null },
        managedDisks: true,
      },
      tags: {},
    },
  ])('$what', ({ file, expected, tags }) => {
    const vm = ofKind(only(scanOne(native(file))), 'compute.instance');
    assertValidResource(vm);
    expect(vm.nativeType).toBe('Microsoft.Compute/virtualMachines');
    expect(vm.properties).toEqual(expected);
    expect(vm.tags).toEqual(tags);
  });

  it.each([
    [
      {
        securityType: 'TrustedLaunch',
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
      },
      { secureBoot: true, vtpm: true, integrityMonitoring: null },
    ],
    [
      {
        securityType: 'ConfidentialVM',
        uefiSettings: { secureBootEnabled: false, vTpmEnabled: true },
      },
      { secureBoot: false, vtpm: true, integrityMonitoring: null },
    ],
    [
      { securityType: 'TrustedLaunch' },
      { secureBoot: null, vtpm: null, integrityMonitoring: null },
    ],
    [{ encryptionAtHost: true }, { secureBoot: false, vtpm: false, integrityMonitoring: null }],
    [{ securityType: 7 }, null],
    ['TrustedLaunch', null],
  ])('securityProfile %j reads as trusted launch %j', (securityProfile, expected) => {
    const vm = vmWith((p) => (p['securityProfile'] = securityProfile));
    expect(vm.shieldedVm).toEqual(expected);
  });

  it.each([
    [{ osDisk: { managedDisk: { id: 'd1' } }, dataDisks: [{ managedDisk: { id: 'd2' } }] }, true],
    [{ osDisk: { vhd: { uri: 'https://ddstor.blob.core.windows.net/vhds/os.vhd' } } }, false],
    [
      {
        osDisk: { managedDisk: { id: 'd1' } },
        dataDisks: [{ vhd: { uri: 'https://ddstor.blob.core.windows.net/vhds/data.vhd' } }],
      },
      false,
    ],
    [{ osDisk: { name: 'os' } }, null],
    [{ osDisk: { managedDisk: { id: 'd1' } }, dataDisks: 'none' }, null],
  ])('storageProfile %j reads as managed disks %j', (storageProfile, expected) => {
    const vm = vmWith((p) => (p['storageProfile'] = storageProfile));
    expect(vm.managedDisks).toBe(expected);
  });

  it('a body without its storageProfile is not a whole VM: trusted launch unknown', () => {
    const vm = vmWith((p) => delete p['storageProfile']);
    expect(vm.shieldedVm).toBeNull();
  });

  it('a body without identity or power state reports them unknown', () => {
    const body = structuredClone(
      native('virtual-machine-instance-view.json') as Record<string, unknown>,
    );
    delete body['identity'];
    delete (body['properties'] as Record<string, unknown>)['instanceView'];
    const vm = ofKind(only(scanOne(body)), 'compute.instance');
    expect(vm.properties.state).toBeNull();
    expect(vm.properties.identities).toBeNull();
  });
});

describe('Microsoft.KeyVault/vaults', () => {
  it.each([
    {
      what: 'recorded: defaultAction Deny but ipRules span every public address → public',
      resource: () => only(scan(cassetteBodies('azure/cassette-keyvault-list-paged.json'))),
      expected: true,
      observedAt: SCAN_STARTED,
      // No enablePurgeProtection (it accepts only true): off. No enableRbacAuthorization, and
      // access policies: off.
      purgeProtected: false,
      rbacAuthorization: false,
    },
    {
      what: 'publicNetworkAccess Disabled wins over defaultAction Allow; systemData time in UTC',
      resource: () => only(scanOne(native('key-vault-public-network-access-disabled.json'))),
      expected: false,
      observedAt: '2023-06-02T13:30:45.123Z',
      purgeProtected: false,
      rbacAuthorization: true,
    },
    {
      what: 'Resource Graph row with properties as JSON text: defaultAction Allow',
      resource: () => only(scanOne(native('resource-graph-row-properties-as-json-string.json'))),
      expected: true,
      observedAt: SCAN_STARTED,
      // enablePurgeProtection null: never turned on.
      purgeProtected: false,
      rbacAuthorization: true,
    },
  ])('$what', ({ resource, expected, observedAt, purgeProtected, rbacAuthorization }) => {
    const vault = ofKind(resource(), 'kms.key');
    assertValidResource(vault);
    expect(vault.properties).toEqual({
      rotationEnabled: null,
      rotationPeriodDays: null,
      keyManager: null,
      keyState: null,
      policy: null,
      iamBindings: null,
      publicNetworkAccess: expected,
      purgeProtected,
      rbacAuthorization,
      // No privateEndpointConnections in these bodies: unknown.
      privateEndpoint: null,
    });
    expect(vault.observedAt).toBe(observedAt);
  });

  it('reads purge protection off when soft delete is off, and a value that is no boolean as unknown', () => {
    const body = structuredClone(
      native('dd-kms-002-compliant-purge-protection-on.json') as {
        properties: Record<string, unknown>;
      },
    );
    body.properties['enableSoftDelete'] = false;
    expect(ofKind(only(scanOne(body)), 'kms.key').properties.purgeProtected).toBe(false);
    body.properties['enablePurgeProtection'] = 'yes';
    expect(ofKind(only(scanOne(body)), 'kms.key').properties.purgeProtected).toBeNull();
  });

  it('decodes JSON-text columns into native', () => {
    const vault = only(scanOne(native('resource-graph-row-properties-as-json-string.json')));
    expect(vault.native).toMatchObject({
      properties: { vaultUri: 'https://kv-export.vault.azure.net/' },
    });
    expect(vault.tags).toEqual({});
  });

  it.each([
    {
      what: 'Deny with a few ranges',
      acls: { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.0/24' }] },
      expected: false,
    },
    { what: 'neither setting', acls: undefined, expected: null },
  ])('network rules: $what', ({ acls, expected }) => {
    const body = structuredClone(
      native('key-vault-public-network-access-disabled.json') as {
        properties: Record<string, unknown>;
      },
    );
    delete body.properties['publicNetworkAccess'];
    if (acls === undefined) delete body.properties['networkAcls'];
    else body.properties['networkAcls'] = acls;
    expect(ofKind(only(scanOne(body)), 'kms.key').properties.publicNetworkAccess).toBe(expected);
  });
});

describe('Microsoft.Authorization/roleDefinitions', () => {
  const statement = {
    source: 'roleDefinition',
    effect: 'Allow',
    notResources: null,
    principals: null,
    notPrincipals: null,
    conditions: null,
  };

  it.each([
    {
      what: 'CustomRole with actions ["*"]',
      file: 'dd-iam-001-violating-custom-role-star.json',
      name: 'Drift Full Admin',
      account: SUB,
      expected: {
        principalType: 'roleDefinition',
        managedBy: 'CustomRole',
        statements: [
          {
            ...statement,
            sid: 'permissions[0]',
            actions: ['*'],
            notActions: [],
            resources: [`/subscriptions/${SUB}`],
          },
        ],
        attachedPolicies: null,
        trustPolicy: null,
        assignableScopes: [`/subscriptions/${SUB}`],
      },
    },
    {
      what: 'built-in Owner: tenant-level id, no subscription',
      file: 'dd-iam-001-compliant-builtin-owner.json',
      name: 'Owner',
      account: '',
      expected: {
        principalType: 'roleDefinition',
        managedBy: 'BuiltInRole',
        statements: [
          { ...statement, sid: 'permissions[0]', actions: ['*'], notActions: [], resources: ['/'] },
        ],
        attachedPolicies: null,
        trustPolicy: null,
        assignableScopes: ['/'],
      },
    },
    {
      what: 'dataActions become their own statement; scopes sorted',
      file: 'role-definition-data-actions.json',
      name: 'Drift Blob Reader',
      account: SUB,
      expected: {
        principalType: 'roleDefinition',
        managedBy: 'CustomRole',
        statements: [
          {
            ...statement,
            sid: 'permissions[0]',
            actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read'],
            notActions: ['Microsoft.Authorization/*/Delete'],
            resources: [`/subscriptions/${SUB}`, `/subscriptions/${SUB}/resourceGroups/rg-drift`],
          },
          {
            ...statement,
            sid: 'permissions[0].dataActions',
            actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
            notActions: [],
            resources: [`/subscriptions/${SUB}`, `/subscriptions/${SUB}/resourceGroups/rg-drift`],
          },
        ],
        attachedPolicies: null,
        trustPolicy: null,
        assignableScopes: [
          `/subscriptions/${SUB}`,
          `/subscriptions/${SUB}/resourceGroups/rg-drift`,
        ],
      },
    },
  ])('$what', ({ file, name, account, expected }) => {
    const role = ofKind(only(scanOne(native(file))), 'iam.policy');
    assertValidResource(role);
    expect(role.name).toBe(name);
    expect(role.account).toBe(account);
    expect(role.region).toBeNull();
    expect(role.properties).toEqual(expected);
  });

  it('a permission block it cannot read is an unknown grant, not no grant', () => {
    const body = structuredClone(
      native('dd-iam-001-violating-custom-role-star.json') as {
        properties: { permissions: unknown[] };
      },
    );
    body.properties.permissions = [{ actions: ['*', 5] }];
    const role = ofKind(only(scanOne(body)), 'iam.policy');
    expect(must(role.properties.statements[0]).actions).toBeNull();
  });

  it('a role without permissions is unreadable', () => {
    const body = structuredClone(
      native('dd-iam-001-violating-custom-role-star.json') as {
        properties: Record<string, unknown>;
      },
    );
    delete body.properties['permissions'];
    expect(must(scanOne(body).errors[0]).reason).toMatch(/permissions is not a list/);
  });
});

describe('Microsoft.Web/sites', () => {
  it.each([
    {
      what: 'Linux function app: runtime from linuxFxVersion, minTlsVersion null in the site GET',
      file: 'web-site-function-app-linux.json',
      expected: {
        runtime: 'Python|3.11',
        identity: '12345678-aaaa-bbbb-cccc-1234567890ab',
        policy: null,
        iamBindings: null,
        httpsOnly: true,
        minimumTlsVersion: null,
      },
    },
    {
      what: 'Windows app: linuxFxVersion "" → netFrameworkVersion; user-assigned identity',
      file: 'web-site-windows-app.json',
      expected: {
        runtime: 'v4.0',
        identity: UAI,
        policy: null,
        iamBindings: null,
        httpsOnly: false,
        minimumTlsVersion: '1.2',
      },
    },
  ])('$what', ({ file, expected }) => {
    const site = ofKind(only(scanOne(native(file))), 'serverless.function');
    assertValidResource(site);
    expect(site.properties).toEqual(expected);
    // A display-name location stays as given.
    expect(site.region).toBe('East US');
  });
});

describe('unsupported types', () => {
  it('become kind other with the native record', () => {
    const body = native('other-public-ip-address.json');
    const resource = only(scanOne(body));
    assertValidResource(resource);
    expect(resource).toMatchObject({
      kind: 'other',
      nativeType: 'Microsoft.Network/publicIPAddresses',
      properties: {},
      native: body,
      tags: { env: 'prod' },
    });
  });
});
