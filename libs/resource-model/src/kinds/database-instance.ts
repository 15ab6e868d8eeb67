import { z } from 'zod';
import { AddressRange, Tristate } from '../common.js';

/** database.instance — RDS DB instance, Azure SQL server, Cloud SQL instance. */
export const DatabaseInstanceProperties = z.object({
  engine: z.string().nullable(),
  engineVersion: z.string().nullable(),
  /**
   * Reachable on a public endpoint: AWS publiclyAccessible, Azure publicNetworkAccess
   * "Enabled" (absent on old API versions → null), GCP ipConfiguration.ipv4Enabled.
   */
  publicNetworkAccess: Tristate,
  /** Addresses allowed in: Azure SQL firewall rules (start–end), GCP authorized networks (CIDR). null when not reported. */
  allowedNetworks: z.array(AddressRange).nullable(),
  /** Storage encrypted at rest: AWS storageEncrypted, Azure TDE (when reported), GCP always true. */
  storageEncrypted: Tristate,
  kmsKeyId: z.string().nullable(),
  /**
   * Automated backups on: AWS backupRetentionPeriod above 0, GCP backupConfiguration.enabled.
   * null when not reported (Azure SQL backs up every database, but the server does not say so).
   */
  automatedBackups: Tristate,
  /**
   * Connections must use TLS: GCP ipConfiguration.sslMode ENCRYPTED_ONLY or
   * TRUSTED_CLIENT_CERTIFICATE_REQUIRED (or the older requireSsl true); Azure SQL always (it
   * enforces TLS on every connection). null where the inventory does not say (AWS: rds.force_ssl
   * lives in the parameter group, which the Config item does not carry).
   */
  tlsRequired: Tristate,
  /**
   * Minor engine versions are applied automatically in the maintenance window: AWS
   * autoMinorVersionUpgrade. null where the service patches by itself or does not say (Azure
   * SQL and Cloud SQL apply engine updates as part of their managed maintenance).
   */
  autoMinorVersionUpgrade: Tristate,
  /**
   * The engine flags set on the instance, name → value as written (GCP settings.databaseFlags).
   * {} when none is set: the engine defaults apply. null when not reported (AWS parameter
   * groups and Azure server parameters are not in the inventory), or when an entry cannot be
   * read, since dropping it could hide a flag that matters.
   */
  databaseFlags: z.record(z.string(), z.string()).nullable(),
});
export type DatabaseInstanceProperties = z.infer<typeof DatabaseInstanceProperties>;
