import { assertValidResource } from '@drift-detective/testing';
import type { ResourceOf } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import {
  asAsset,
  clone,
  flightBody,
  nativeFixture,
  normalizeOne,
  type Expected,
} from './helpers.js';

type Key = ResourceOf<'kms.key'>;
type Data = Record<string, unknown>;

const TYPE = 'cloudkms.googleapis.com/CryptoKey';
const recorded = () => clone(flightBody('flight-kms-cryptokey-get.json'));
const asKey = (body: Data) => asAsset(body, TYPE, `//cloudkms.googleapis.com/${body['name']}`);
const recordedWith = (change: (data: Data) => void) => {
  const body = recorded();
  change(body);
  return asKey(body);
};

const cases: {
  title: string;
  document: () => unknown;
  expected: Expected<Key>;
}[] = [
  {
    title: 'cryptoKeys.get: ENCRYPT_DECRYPT without rotationPeriod → rotation off',
    document: () => asKey(recorded()),
    expected: {
      id: '//cloudkms.googleapis.com/projects/cloud-custodian/locations/us-central1/keyRings/cloud-custodian/cryptoKeys/cloud-custodian',
      name: 'cloud-custodian',
      account: 'cloud-custodian',
      properties: {
        rotationEnabled: false,
        rotationPeriodDays: null,
        keyState: 'ENABLED',
        keyManager: 'CUSTOMER',
        policy: null,
        iamBindings: null,
        publicNetworkAccess: null,
      },
    },
  },
  {
    title: 'rotationPeriod "7776000s" → rotation on, every 90 days',
    document: () => nativeFixture('dd-kms-001-compliant-rotation-90-days.json'),
    expected: {
      account: '847203951166',
      region: 'us-central1',
      properties: { rotationEnabled: true, rotationPeriodDays: 90 },
    },
  },
  {
    title: 'rotationPeriod "31536000s" → 365 days',
    document: () => recordedWith((data) => (data['rotationPeriod'] = '31536000s')),
    expected: { properties: { rotationEnabled: true, rotationPeriodDays: 365 } },
  },
  {
    title: 'a Duration as the Node client writes it ({seconds, nanos})',
    document: () =>
      recordedWith((data) => (data['rotationPeriod'] = { seconds: '2592000', nanos: 0 })),
    expected: { properties: { rotationEnabled: true, rotationPeriodDays: 30 } },
  },
  {
    title: 'an unreadable rotationPeriod → unknown, not "off"',
    document: () => recordedWith((data) => (data['rotationPeriod'] = 'ninety days')),
    expected: { properties: { rotationEnabled: null, rotationPeriodDays: null } },
  },
  {
    title: 'ASYMMETRIC_SIGN cannot rotate automatically: rotation unknown; no primary → no state',
    document: () => nativeFixture('kms-cryptokey-asymmetric-sign.json'),
    expected: { properties: { rotationEnabled: null, rotationPeriodDays: null, keyState: null } },
  },
];

describe('cloudkms.googleapis.com/CryptoKey → kms.key', () => {
  it.each(cases)('$title', ({ document, expected }) => {
    const resource = normalizeOne(document()) as Key;
    assertValidResource(resource);
    expect(resource.kind).toBe('kms.key');
    const { properties, ...top } = expected;
    expect(resource).toMatchObject(top);
    expect(resource.properties).toMatchObject(properties ?? {});
  });

  it('converts the nanosecond timestamps of a record to RFC 3339 UTC', () => {
    const record = clone(nativeFixture('dd-kms-001-violating-no-rotation.json')) as Data;
    record['update_time'] = '2025-11-11T16:03:28.102938475+01:00';
    expect(normalizeOne(record).observedAt).toBe('2025-11-11T15:03:28.102938475Z');
  });

  it('merges the key IAM policy', () => {
    const key = nativeFixture('dd-kms-001-violating-no-rotation.json') as { name: string };
    const resource = normalizeOne([
      key,
      {
        name: key.name,
        asset_type: TYPE,
        iam_policy: {
          version: 1,
          etag: 'BwYD2k4=',
          bindings: [
            {
              role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
              members: [
                'serviceAccount:service-847203951166@gs-project-accounts.iam.gserviceaccount.com',
              ],
            },
          ],
        },
      },
    ]) as Key;
    expect(resource.properties.iamBindings).toEqual([
      {
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        members: [
          'serviceAccount:service-847203951166@gs-project-accounts.iam.gserviceaccount.com',
        ],
        condition: null,
      },
    ]);
  });
});
