import { describe, expect, it } from 'vitest';
import { corpus, native, normalizeOne, propertiesOf } from '../helpers.js';

describe('AWS::KMS::Key → kms.key', () => {
  it('SelectResourceConfig row: KeyRotationStatus false, pretty-printed policy, {tagKey, tagValue} tags', () => {
    const resource = normalizeOne(corpus('aws/placebo-config-select-kms-key.json'), 'kms row');
    expect(resource.id).toBe(
      'arn:aws:kms:us-east-2:644160558196:key/9975ba19-f8ff-444b-9c21-8d42cc6dc45b',
    );
    expect(resource.account).toBe('644160558196');
    expect(resource.region).toBe('us-east-2');
    expect(resource.tags).toEqual({ ConfigTesting: 'Test' });
    expect(propertiesOf(resource, 'kms.key')).toEqual({
      rotationEnabled: false,
      rotationPeriodDays: null,
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      policy: [
        {
          source: 'keyPolicy',
          sid: 'Enable IAM User Permissions',
          effect: 'Allow',
          actions: ['kms:*'],
          notActions: null,
          resources: ['*'],
          notResources: null,
          principals: [{ type: 'AWS', id: 'arn:aws:iam::644160558196:root' }],
          notPrincipals: null,
          conditions: null,
        },
      ],
      iamBindings: null,
      publicNetworkAccess: null,
      purgeProtected: null,
      rbacAuthorization: null,
      privateEndpoint: null,
    });
  });

  it('rdk example: no KeyRotationStatus (unknown); AWS "*" kept with its restricting conditions', () => {
    const properties = propertiesOf(
      normalizeOne(corpus('aws/rdk-ci-kms-key.json'), 'rdk'),
      'kms.key',
    );
    expect(properties.rotationEnabled).toBeNull();
    expect(properties.keyManager).toBe('AWS');
    expect(properties.policy?.[0]).toMatchObject({
      principals: [{ type: 'AWS', id: '*' }],
      conditions: {
        StringEquals: {
          'kms:CallerAccount': ['123456789012'],
          'kms:ViaService': ['lambda.us-east-1.amazonaws.com'],
        },
      },
    });
  });

  it.each([
    { status: true, expected: true },
    { status: false, expected: false },
    { status: 'true', expected: true },
    { status: 'FALSE', expected: false },
    { status: 'maybe', expected: null },
    { status: 7, expected: null },
  ])('KeyRotationStatus $status → rotationEnabled $expected', ({ status, expected }) => {
    const item = structuredClone(native('dd-kms-001-violating-rotation-off.json')) as {
      supplementaryConfiguration: Record<string, unknown>;
    };
    item.supplementaryConfiguration['KeyRotationStatus'] = status;
    const properties = propertiesOf(normalizeOne(item, String(status)), 'kms.key');
    expect(properties.rotationEnabled).toBe(expected);
  });
});
