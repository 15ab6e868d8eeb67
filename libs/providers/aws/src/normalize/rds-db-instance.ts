import { regionalArn } from '../decode/arn.js';
import { booleanOr, nonEmptyString, own } from '../decode/values.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::RDS::DBInstance → database.instance. Config keeps the RDS API's odd
 * camel case: dBInstanceIdentifier, dBInstanceArn
 * (AWS Config resource schema for AWS::RDS::DBInstance;
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html).
 * RDS has no address allow-list of its own (security groups do that): allowedNetworks null.
 */
export const rdsDbInstance: TypeNormalizer<'database.instance'> = {
  kind: 'database.instance',

  arn: ({ configuration, region, account }) =>
    nonEmptyString(own(configuration, 'dBInstanceArn')) ??
    regionalArn('rds', region, account, dbResource(configuration)),

  name: (configuration) => nonEmptyString(own(configuration, 'dBInstanceIdentifier')),

  properties: ({ configuration }) => ({
    engine: nonEmptyString(own(configuration, 'engine')),
    engineVersion: nonEmptyString(own(configuration, 'engineVersion')),
    publicNetworkAccess: booleanOr(own(configuration, 'publiclyAccessible')),
    allowedNetworks: null,
    storageEncrypted: booleanOr(own(configuration, 'storageEncrypted')),
    kmsKeyId: nonEmptyString(own(configuration, 'kmsKeyId')),
    automatedBackups: backupsOn(own(configuration, 'backupRetentionPeriod')),
    // rds.force_ssl / require_secure_transport and every other engine flag live in the DB
    // parameter group; the Config item names the group, not its parameters.
    // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html
    tlsRequired: null,
    autoMinorVersionUpgrade: booleanOr(own(configuration, 'autoMinorVersionUpgrade')),
    databaseFlags: null,
  }),
};

/**
 * "Setting this parameter to 0 disables automated backups"; any positive number of days keeps
 * them (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html,
 * BackupRetentionPeriod). Absent or not a whole number: unknown.
 */
function backupsOn(value: unknown): boolean | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value > 0 : null;
}

function dbResource(configuration: Record<string, unknown>): string | null {
  const name = nonEmptyString(own(configuration, 'dBInstanceIdentifier'));
  return name === null ? null : `db:${name}`;
}
