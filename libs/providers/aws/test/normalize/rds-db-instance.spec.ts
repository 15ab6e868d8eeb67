import { describe, expect, it } from 'vitest';
import { corpus, native, normalizeOne, propertiesOf } from '../helpers.js';

describe('AWS::RDS::DBInstance → database.instance', () => {
  it.each([
    {
      name: 'Config rule event: public, unencrypted, resourceId is the dbi id, not the name',
      document: () => corpus('aws/config-rule-event-rds-dbinstance.json'),
      id: 'arn:aws:rds:us-east-1:644160558196:db:c7n-data-index',
      resourceName: 'c7n-data-index',
      expected: {
        engine: 'postgres',
        engineVersion: '9.6.3',
        publicNetworkAccess: true,
        allowedNetworks: null,
        storageEncrypted: false,
        kmsKeyId: null,
        automatedBackups: true,
        tlsRequired: null,
        autoMinorVersionUpgrade: true,
        databaseFlags: null,
      },
    },
    {
      name: 'rdk example: public but encrypted with a KMS key',
      document: () => corpus('aws/rdk-ci-rds-dbinstance.json'),
      id: 'arn:aws:rds:us-east-1:264683526309:db:myrdstest',
      resourceName: 'myrdstest',
      expected: {
        engine: 'mysql',
        engineVersion: '5.6.27',
        publicNetworkAccess: true,
        allowedNetworks: null,
        storageEncrypted: true,
        kmsKeyId: 'arn:aws:kms:us-east-1:264683526309:key/e20f3a10-781f-4582-93d7-6dfe67cac827',
        automatedBackups: true,
        tlsRequired: null,
        autoMinorVersionUpgrade: true,
        databaseFlags: null,
      },
    },
    {
      name: 'private and encrypted',
      document: () => native('dd-db-001-compliant-rds-private.json'),
      id: 'arn:aws:rds:us-east-1:123456789012:db:orders-private',
      resourceName: 'orders-private',
      expected: {
        engine: 'postgres',
        engineVersion: '16.2',
        publicNetworkAccess: false,
        allowedNetworks: null,
        storageEncrypted: true,
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
        automatedBackups: true,
        tlsRequired: null,
        autoMinorVersionUpgrade: true,
        databaseFlags: null,
      },
    },
  ])('$name', ({ document, id, resourceName, expected, name }) => {
    const resource = normalizeOne(document(), name);
    expect(resource.id).toBe(id);
    expect(resource.name).toBe(resourceName);
    expect(propertiesOf(resource, 'database.instance')).toEqual(expected);
  });

  it('builds the ARN from dBInstanceIdentifier when the item states none', () => {
    const item = structuredClone(native('dd-db-002-violating-rds-unencrypted.json')) as {
      ARN?: string;
      configuration: Record<string, unknown>;
    };
    delete item.ARN;
    delete item.configuration['dBInstanceArn'];
    expect(normalizeOne(item, 'no arn').id).toBe(
      'arn:aws:rds:us-east-1:123456789012:db:ledger-plain',
    );
  });

  it('reports a publiclyAccessible that is not a boolean as unknown', () => {
    const item = structuredClone(native('dd-db-001-violating-rds-public.json')) as {
      configuration: Record<string, unknown>;
    };
    item.configuration['publiclyAccessible'] = 'yes';
    const properties = propertiesOf(normalizeOne(item, 'odd'), 'database.instance');
    expect(properties.publicNetworkAccess).toBeNull();
  });

  it('reads backupRetentionPeriod 0 as automated backups off, and a missing one as unknown', () => {
    const item = structuredClone(native('dd-db-001-compliant-rds-private.json')) as {
      configuration: Record<string, unknown>;
    };
    item.configuration['backupRetentionPeriod'] = 0;
    expect(propertiesOf(normalizeOne(item, 'off'), 'database.instance').automatedBackups).toBe(
      false,
    );
    delete item.configuration['backupRetentionPeriod'];
    expect(propertiesOf(normalizeOne(item, 'unknown'), 'database.instance').automatedBackups).toBe(
      null,
    );
  });
});
