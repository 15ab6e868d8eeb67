import { describe, expect, it } from 'vitest';
import { judgedTargetOf, typeOfId } from '../../src/arm/resource-id.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg';
const ACCOUNT = `${RG}/providers/Microsoft.Storage/storageAccounts/acct`;
const SERVER = `${RG}/providers/Microsoft.Sql/servers/db1`;
const NSG = `${RG}/providers/Microsoft.Network/networkSecurityGroups/nsg1`;

describe('typeOfId', () => {
  it('reads the namespace and every type segment', () => {
    expect(typeOfId(`${ACCOUNT}/blobServices/default/containers/c1`)).toBe(
      'Microsoft.Storage/storageAccounts/blobServices/containers',
    );
    expect(typeOfId('/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/r1')).toBe(
      'Microsoft.Authorization/roleDefinitions',
    );
  });

  it('is null for ids of no provider resource', () => {
    expect(typeOfId(RG)).toBeNull();
    expect(typeOfId('/subscriptions/s')).toBeNull();
    expect(typeOfId(`${RG}/providers/Microsoft.Storage/storageAccounts`)).toBeNull();
  });
});

describe('judgedTargetOf', () => {
  it('maps children to the parent judged with them', () => {
    expect(judgedTargetOf(`${ACCOUNT}/blobServices/default/containers/c1`)).toEqual({
      id: ACCOUNT,
      type: 'Microsoft.Storage/storageAccounts',
    });
    expect(judgedTargetOf(`${ACCOUNT}/blobServices/default`)).toEqual({
      id: ACCOUNT,
      type: 'Microsoft.Storage/storageAccounts',
    });
    expect(judgedTargetOf(`${SERVER}/firewallRules/AllowAll`)).toEqual({
      id: SERVER,
      type: 'Microsoft.Sql/servers',
    });
    expect(judgedTargetOf(`${NSG}/securityRules/ssh`)).toEqual({
      id: NSG,
      type: 'Microsoft.Network/networkSecurityGroups',
    });
  });

  it('keeps a judged resource, in any case, and refuses what it cannot read', () => {
    const lower = ACCOUNT.toLowerCase();
    expect(judgedTargetOf(lower)).toEqual({ id: lower, type: 'Microsoft.Storage/storageAccounts' });
    expect(judgedTargetOf(`${RG}/providers/Microsoft.Network/publicIPAddresses/ip1`)).toBeNull();
  });
});
