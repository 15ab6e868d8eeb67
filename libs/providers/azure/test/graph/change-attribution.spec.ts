import { describe, expect, it } from 'vitest';
import { changeOfRow } from '../../src/graph/change-attribution.js';

const TARGET =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct';

/** A resourcechanges row shaped as in https://learn.microsoft.com/azure/governance/resource-graph/changes/get-resource-changes */
const row = {
  id: `${TARGET}/providers/Microsoft.Resources/changes/0dd3e8de-1c5a-4a27-9b48-0fe5a1c5c2e1`,
  type: 'microsoft.resources/changes',
  properties: {
    targetResourceId: TARGET,
    targetResourceType: 'microsoft.storage/storageaccounts',
    changeType: 'Update',
    changeAttributes: {
      previousResourceSnapshotId: 'p',
      newResourceSnapshotId: 'n',
      correlationId: '11111111-1111-1111-1111-111111111111',
      changedByType: 'User',
      changesCount: 2,
      clientType: 'Azure Portal',
      changedBy: 'alice@contoso.com',
      operation: 'Microsoft.Storage/storageAccounts/write',
      timestamp: '2024-05-01T05:59:00.1234567Z',
    },
    changes: {
      'tags.owner': {
        newValue: 'bob',
        previousValue: 'null',
        changeCategory: 'User',
        propertyChangeType: 'Insert',
      },
      'properties.allowBlobPublicAccess': {
        newValue: 'True',
        previousValue: 'False',
        changeCategory: 'User',
        propertyChangeType: 'Update',
      },
    },
  },
};

describe('changeOfRow', () => {
  it('maps actor, client, operation, time, type, fields and correlation id', () => {
    expect(changeOfRow(row)).toEqual({
      targetId: TARGET,
      change: {
        changedBy: 'alice@contoso.com (Azure Portal, Microsoft.Storage/storageAccounts/write)',
        changedAt: '2024-05-01T05:59:00.123Z',
        changeType: 'update',
        fields: [
          { path: 'properties.allowBlobPublicAccess', before: 'False', after: 'True' },
          { path: 'tags.owner', before: 'null', after: 'bob' },
        ],
        relatedEvents: ['11111111-1111-1111-1111-111111111111'],
      },
    });
  });

  it('keeps what there is and drops rows without a target', () => {
    expect(changeOfRow({ properties: { targetResourceId: TARGET, changeType: 'Create' } })).toEqual(
      {
        targetId: TARGET,
        change: { changeType: 'create' },
      },
    );
    expect(changeOfRow({ properties: {} })).toBeNull();
    expect(changeOfRow('text')).toBeNull();
  });
});
