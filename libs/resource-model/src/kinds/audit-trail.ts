import { z } from 'zod';
import { Tristate } from '../common.js';

/** audit.trail — CloudTrail trail (Azure and GCP audit settings when reported). */
export const AuditTrailProperties = z.object({
  /** Currently logging (CloudTrail IsLogging is not in Config items → null). */
  logging: Tristate,
  multiRegion: Tristate,
  logFileValidation: Tristate,
  kmsKeyId: z.string().nullable(),
  /**
   * Log files encrypted with a customer-managed KMS key (SSE-KMS), not only S3-managed keys:
   * AWS kmsKeyId set; false when a whole trail item has none. null when not reported.
   */
  kmsEncrypted: Tristate,
});
export type AuditTrailProperties = z.infer<typeof AuditTrailProperties>;
