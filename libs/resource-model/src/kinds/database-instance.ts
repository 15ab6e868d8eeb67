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
});
export type DatabaseInstanceProperties = z.infer<typeof DatabaseInstanceProperties>;
