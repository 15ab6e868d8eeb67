import { assertValidResource } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { attributed, notRead } from '../../src/envelope/attributed.js';
import { azureInventory } from '../../src/index.js';
import { native, only, scanOne } from '../helpers.js';

const ACCOUNT = {
  id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
  name: 'acct',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  properties: { allowBlobPublicAccess: true },
};

const CHANGE = {
  changedBy: 'alice@contoso.com (Azure Portal)',
  changedAt: '2024-04-30T10:00:00Z',
  changeType: 'update',
  fields: [{ path: 'properties.allowBlobPublicAccess', before: false, after: true }],
  relatedEvents: ['c-1'],
};

describe('attributed envelope', () => {
  it('normalizes to the resource with its change, the envelope left out of native', () => {
    const resource = only(scanOne(attributed(ACCOUNT, CHANGE)));
    expect(resource.change).toEqual({ ...CHANGE, changedAt: '2024-04-30T10:00:00.000Z' });
    expect(resource.native).toEqual(ACCOUNT);
    expect(resource.properties).toMatchObject({ allowBlobPublicAccess: true });
    assertValidResource(resource);
  });

  it('is Azure input on its own, in a list and as NDJSON, but not around another cloud’s record', () => {
    const envelope = attributed(ACCOUNT, CHANGE);
    expect(azureInventory.detect(envelope)).toBe(true);
    expect(azureInventory.detect([envelope, ACCOUNT])).toBe(true);
    expect(azureInventory.detect(`${JSON.stringify(envelope)}\n`)).toBe(true);
    const awsItem = { configurationItem: { ARN: 'arn:aws:s3:::b' } };
    expect(azureInventory.detect(attributed(awsItem, CHANGE))).toBe(false);
    expect(() => azureInventory.unwrap(attributed(awsItem, CHANGE), 'x.json')).toThrow(
      /AWS or GCP/,
    );
  });

  it('works for every existing fixture: the same resource, plus the change', () => {
    const fixture = native('dd-storage-001-violating-blob-public-access.json');
    const plain = scanOne(fixture).resources;
    const rows = azureInventory
      .unwrap(fixture, 'f')
      .map((record) => attributed(record.value as never, CHANGE));
    const wrapped = scanOne(rows).resources;
    expect(wrapped.map((r) => ({ ...r, change: undefined }))).toEqual(
      plain.map((r) => ({ ...r, change: undefined })),
    );
    expect(wrapped.every((r) => r.change?.changedBy === CHANGE.changedBy)).toBe(true);
  });

  it('drops what does not have the model’s shape rather than the resource', () => {
    const resource = only(
      scanOne(
        attributed(ACCOUNT, {
          changedBy: '',
          changedAt: 'yesterday',
          fields: [{ before: 1 }],
          relatedEvents: [3],
        } as never),
      ),
    );
    expect(resource.change).toBeUndefined();
    assertValidResource(resource);
  });
});

describe('not-read envelope', () => {
  it('is reported as a record that could not be read, with the reason', () => {
    const result = scanOne([
      notRead(ACCOUNT.id, ACCOUNT.type, 'HTTP 403 on its containers'),
      ACCOUNT,
    ]);
    expect(result.resources.map((r) => r.name)).toEqual(['acct']);
    expect(result.errors.map((e) => e.reason)).toEqual([
      `${ACCOUNT.id} could not be read: HTTP 403 on its containers`,
    ]);
    expect(azureInventory.detect(notRead(ACCOUNT.id, ACCOUNT.type, 'x'))).toBe(true);
  });
});
