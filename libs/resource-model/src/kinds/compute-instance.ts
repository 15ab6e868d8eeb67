import { z } from 'zod';
import { Tristate } from '../common.js';

/** compute.instance — EC2 instance, Azure VM, GCE instance. */
export const ComputeInstanceProperties = z.object({
  state: z.string().nullable(),
  /** Instance metadata service (AWS IMDS): tokens required = IMDSv2 only. null when not reported. */
  metadataTokensRequired: Tristate,
  metadataEndpointEnabled: Tristate,
  publicIps: z.array(z.string()).nullable(),
  /** Identity the instance runs as: instance profile ARN, managed identity, service account e-mails. */
  identities: z.array(z.string()).nullable(),
});
export type ComputeInstanceProperties = z.infer<typeof ComputeInstanceProperties>;
