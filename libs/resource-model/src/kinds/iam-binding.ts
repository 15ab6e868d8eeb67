import { z } from 'zod';
import { IamBinding, Tristate } from '../common.js';

/** iam.binding — role grants on a container of resources: GCP project IAM, GCP service account IAM. */
export const IamBindingProperties = z.object({
  /** null when the IAM policy was not in the inventory (unknown), [] when it is known and empty. */
  bindings: z.array(IamBinding).nullable(),
  /** GCP service account: disabled flag; null for other resources. */
  disabled: Tristate,
  /** GCP service account e-mail, when the resource is one. */
  email: z.string().nullable(),
});
export type IamBindingProperties = z.infer<typeof IamBindingProperties>;
