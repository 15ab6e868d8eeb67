import {
  addressSpan,
  type AddressRange,
  type DatabaseInstanceProperties,
} from '@drift-detective/resource-model';
import { toCidr } from '../decode/net.js';
import { bool, compareText, isObject, objectAt, text, type JsonObject } from '../decode/values.js';
import type { NormalizerInput } from './input.js';

/**
 * sqladmin.googleapis.com/Instance → database.instance. The asset name is
 * "//cloudsql.googleapis.com/projects/<p>/instances/<i>" although the type says sqladmin.
 * https://cloud.google.com/asset-inventory/docs/resource-name-format
 * https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1beta4/instances#DatabaseInstance
 */
export function normalizeSqlInstance(input: NormalizerInput): DatabaseInstanceProperties {
  const { data } = input;
  const settings = objectAt(data?.['settings']);
  const ipConfiguration = objectAt(settings?.['ipConfiguration']);
  const databaseVersion = text(data?.['databaseVersion']);
  return {
    engine: databaseVersion === null ? null : engineOf(databaseVersion),
    // Kept whole: the enum also names the edition (SQLSERVER_2019_ENTERPRISE).
    engineVersion: databaseVersion,
    publicNetworkAccess: bool(ipConfiguration?.['ipv4Enabled']),
    allowedNetworks: ipConfiguration === null ? null : authorizedNetworks(ipConfiguration),
    // Cloud SQL encrypts all data at rest, with Google-managed keys unless a CMEK is set.
    // https://cloud.google.com/sql/docs/mysql/cmek ; https://cloud.google.com/docs/security/encryption/default-encryption
    storageEncrypted: data === null ? null : true,
    kmsKeyId: text(objectAt(data?.['diskEncryptionConfiguration'])?.['kmsKeyName']),
    // settings.backupConfiguration.enabled; a record without it says nothing.
    // https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1beta4/instances#BackupConfiguration
    automatedBackups: bool(objectAt(settings?.['backupConfiguration'])?.['enabled']),
  };
}

/** "MYSQL_5_7" → "mysql", "POSTGRES_9_6" → "postgres", "SQLSERVER_2017_STANDARD" → "sqlserver". */
function engineOf(databaseVersion: string): string {
  return (databaseVersion.split('_')[0] ?? databaseVersion).toLowerCase();
}

/**
 * settings.ipConfiguration.authorizedNetworks[] (AclEntry: value = CIDR, name optional).
 * Present and empty → [] (nobody authorized); absent → null (not reported: the Admin API
 * writes `authorizedNetworks: []` when there are none); any entry that cannot be read → null,
 * since dropping it could hide 0.0.0.0/0.
 * https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1beta4/instances#AclEntry
 */
function authorizedNetworks(ipConfiguration: JsonObject): AddressRange[] | null {
  const entries = ipConfiguration['authorizedNetworks'];
  if (!Array.isArray(entries)) return null;
  const out: AddressRange[] = [];
  for (const entry of entries) {
    if (!isObject(entry)) return null;
    const value = text(entry['value']);
    const cidr = value === null ? null : toCidr(value);
    if (cidr === null) return null;
    const name = entry['name'];
    if (name !== undefined && name !== null && typeof name !== 'string') return null;
    out.push({ name: text(name), cidr, startIp: null, endIp: null, span: addressSpan(cidr) });
  }
  return out.sort(
    (a, b) => compareText(a.cidr ?? '', b.cidr ?? '') || compareText(a.name ?? '', b.name ?? ''),
  );
}
