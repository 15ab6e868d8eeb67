import { z } from 'zod';
import { IamBinding, PolicyStatement, Tristate } from '../common.js';

/** kms.key — KMS key, Key Vault (its keys' rotation is reported only per key), Cloud KMS CryptoKey. */
export const KmsKeyProperties = z.object({
  /** Automatic rotation on (AWS KeyRotationStatus; GCP rotationPeriod present); null when not reported. */
  rotationEnabled: Tristate,
  /** Rotation period in days (GCP rotationPeriod), when reported. */
  rotationPeriodDays: z.number().nullable(),
  /** "AWS" for AWS-managed keys (rotated by AWS), "CUSTOMER" otherwise; null when unknown. */
  keyManager: z.string().nullable(),
  /** "Enabled" | "Disabled" | "PendingDeletion" | GCP primary state…, when reported. */
  keyState: z.string().nullable(),
  /** Key policy statements (AWS), decoded. */
  policy: z.array(PolicyStatement).nullable(),
  /** IAM bindings on the key (GCP). */
  iamBindings: z.array(IamBinding).nullable(),
  /** Azure Key Vault: public network access / network default action allows all, when reported. */
  publicNetworkAccess: Tristate,
  /**
   * Azure Key Vault: whether a deleted vault and its keys can always be recovered for the
   * retention period (soft delete and purge protection both on); null elsewhere.
   */
  purgeProtected: Tristate,
  /** Azure Key Vault: data-plane access authorized by Azure RBAC, not vault access policies. */
  rbacAuthorization: Tristate,
  /** Azure Key Vault: reached through at least one approved private endpoint; null elsewhere. */
  privateEndpoint: Tristate,
});
export type KmsKeyProperties = z.infer<typeof KmsKeyProperties>;
