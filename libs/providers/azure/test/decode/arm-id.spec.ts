import { describe, expect, it } from 'vitest';
import { canonicalArmId } from '../../src/decode/arm-id.js';
import { SUPPORTED_TYPES } from '../../src/types.js';

const TYPES = Object.keys(SUPPORTED_TYPES);

describe('canonicalArmId', () => {
  it("writes an event's lower-case id as Resource Graph and ARM do, names untouched", () => {
    // The spelling of Microsoft's ResourceDeleteSuccess example events.
    expect(
      canonicalArmId(
        '/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/RG-Drift/providers/microsoft.storage/storageaccounts/ddStor001/blobservices/default/containers/Web',
        TYPES,
      ),
    ).toBe(
      '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/RG-Drift/providers/Microsoft.Storage/storageAccounts/ddStor001/blobServices/default/containers/Web',
    );
  });

  it('keeps a name that happens to spell a type, and unknown types, as written', () => {
    expect(
      canonicalArmId(
        '/subscriptions/s/resourceGroups/providers/providers/Microsoft.Network/networkSecurityGroups/storageaccounts/securityRules/r1',
        TYPES,
      ),
    ).toBe(
      '/subscriptions/s/resourceGroups/providers/providers/Microsoft.Network/networkSecurityGroups/storageaccounts/securityRules/r1',
    );
    expect(canonicalArmId('/PROVIDERS/microsoft.authorization/roledefinitions/x/', TYPES)).toBe(
      '/providers/Microsoft.Authorization/roleDefinitions/x',
    );
  });
});
