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
  /**
   * Whether the instance may send and receive packets addressed neither from nor to it (GCP
   * canIpForward; AWS sourceDestCheck false). null when not reported.
   */
  ipForwarding: Tristate,
  /** Whether interactive access to the serial console is enabled (GCP serial-port-enable). */
  serialPortEnabled: Tristate,
  /** Whether the instance refuses project-wide SSH keys (GCP block-project-ssh-keys). */
  projectSshKeysBlocked: Tristate,
  /** Whether OS Login manages SSH access (GCP enable-oslogin set on the instance). */
  osLoginEnabled: Tristate,
  /**
   * Shielded VM: secure boot, vTPM, integrity monitoring (GCP shieldedInstanceConfig); null
   * where the cloud reports no such settings.
   */
  shieldedVm: z
    .object({ secureBoot: Tristate, vtpm: Tristate, integrityMonitoring: Tristate })
    .nullable(),
  /**
   * Every disk of the instance is a managed disk (Azure storageProfile osDisk and dataDisks with
   * managedDisk, not a vhd page blob in a storage account). null where disks are always managed
   * by the platform (EBS, Persistent Disk) or not reported.
   */
  managedDisks: Tristate,
});
export type ComputeInstanceProperties = z.infer<typeof ComputeInstanceProperties>;
