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
    tlsRequired: ipConfiguration === null ? null : tlsRequired(ipConfiguration),
    // Cloud SQL applies minor versions in its own maintenance; there is no switch to read.
    // https://cloud.google.com/sql/docs/mysql/maintenance
    autoMinorVersionUpgrade: null,
    databaseFlags: settings === null ? null : databaseFlags(settings),
  };
}

/**
 * settings.ipConfiguration.sslMode: ENCRYPTED_ONLY and TRUSTED_CLIENT_CERTIFICATE_REQUIRED refuse
 * unencrypted connections, ALLOW_UNENCRYPTED_AND_ENCRYPTED accepts them. Without sslMode (older
 * records, or SSL_MODE_UNSPECIFIED) the deprecated requireSsl says the same; with neither, the
 * record does not say (unknown, not the default).
 * https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1beta4/instances#ipconfiguration
 */
function tlsRequired(ipConfiguration: JsonObject): boolean | null {
  switch (text(ipConfiguration['sslMode'])) {
    case 'ENCRYPTED_ONLY':
    case 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED':
      return true;
    case 'ALLOW_UNENCRYPTED_AND_ENCRYPTED':
      return false;
    default:
      return bool(ipConfiguration['requireSsl']);
  }
}

/**
 * settings.databaseFlags[] (DatabaseFlags: name, value) as name → value. The Admin API omits the
 * list when no flag is set, so absent is {} (the engine defaults apply); a flag that takes no
 * value has none ("" here). An entry that cannot be read makes the whole null: dropping it could
 * hide the flag a rule looks for.
 * https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1beta4/instances#databaseflags
 */
function databaseFlags(settings: JsonObject): Record<string, string> | null {
  const entries = settings['databaseFlags'];
  if (entries === undefined) return {};
  if (!Array.isArray(entries)) return null;
  const flags: [string, string][] = [];
  for (const entry of entries) {
    if (!isObject(entry)) return null;
    const name = text(entry['name']);
    const value = entry['value'] ?? '';
    if (name === null || typeof value !== 'string') return null;
    flags.push([name, value]);
  }
  // Sorted by name: the same flags in another order are the same configuration.
  return Object.fromEntries(flags.sort(([a], [b]) => compareText(a, b)));
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
