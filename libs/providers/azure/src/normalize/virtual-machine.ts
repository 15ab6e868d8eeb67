import type {
  ComputeInstanceProperties,
  InventoryContext,
  ResourceOf,
} from '@drift-detective/resource-model';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { managedIdentities } from '../decode/identity.js';
import { asBoolean, asObject, asText, at, type JsonObject } from '../decode/json.js';
import { T } from '../types.js';

const POWER_STATE = /^PowerState\//i;

/**
 * The VM's power state ("running", "deallocated", "stopped", …). A plain GET has
 * none; Resource Graph adds properties.extended.instanceView.powerState, and a GET
 * with $expand=instanceView lists it among instanceView.statuses as "PowerState/<state>".
 * https://learn.microsoft.com/en-us/azure/virtual-machines/states-billing#power-states-and-billing
 * https://learn.microsoft.com/en-us/rest/api/compute/virtual-machines/instance-view
 */
function powerStateOf(properties: JsonObject): string | null {
  let code = asText(at(properties, 'extended', 'instanceView', 'powerState', 'code'));
  const statuses = at(properties, 'instanceView', 'statuses');
  if (code === null && Array.isArray(statuses)) {
    code =
      statuses
        .map((status) => asText(asObject(status)?.['code']))
        .find((c): c is string => c !== null && POWER_STATE.test(c)) ?? null;
  }
  return code === null ? null : code.replace(POWER_STATE, '') || null;
}

/**
 * A virtual machine. Public IPs live on network interface and public IP resources,
 * not in the VM body, and Azure has no instance-metadata token setting: null.
 */
export function normalizeVirtualMachine(
  arm: ArmRecord,
  context: InventoryContext,
): ResourceOf<'compute.instance'> {
  return armResource(arm, context, 'compute.instance', T.virtualMachine, {
    state: powerStateOf(arm.properties),
    metadataTokensRequired: null,
    metadataEndpointEnabled: null,
    publicIps: null,
    identities: managedIdentities(arm.native['identity']),
    // IP forwarding is a network interface setting (enableIPForwarding), not the VM's; Azure
    // has no serial-port metadata switch.
    ipForwarding: null,
    serialPortEnabled: null,
    projectSshKeysBlocked: null,
    osLoginEnabled: null,
    shieldedVm: trustedLaunch(arm.properties),
    managedDisks: managedDisks(arm.properties),
  });
}

/**
 * Whether the OS disk and every data disk are managed disks: each has managedDisk (a
 * Microsoft.Compute/disks resource) or, if unmanaged, vhd (a page blob URI in a storage
 * account). A disk with neither, or a body without storageProfile, does not say.
 * https://learn.microsoft.com/en-us/rest/api/compute/virtual-machines/get#osdisk
 * https://learn.microsoft.com/en-us/azure/virtual-machines/unmanaged-disks-deprecation
 */
function managedDisks(properties: JsonObject): boolean | null {
  const storage = asObject(properties['storageProfile']);
  if (storage === null) return null;
  const dataDisks = storage['dataDisks'] ?? [];
  if (!Array.isArray(dataDisks)) return null;
  let unknown = false;
  for (const disk of [storage['osDisk'], ...dataDisks]) {
    const managed = diskIsManaged(disk);
    if (managed === false) return false;
    if (managed === null) unknown = true;
  }
  return unknown ? null : true;
}

function diskIsManaged(disk: unknown): boolean | null {
  const object = asObject(disk);
  if (asObject(object?.['managedDisk']) !== null) return true;
  if (asText(asObject(object?.['vhd'])?.['uri']) !== null) return false;
  return null;
}

/** The security types that turn on UEFI settings (secure boot, vTPM). */
const UEFI_SECURITY_TYPES = new Set(['trustedlaunch', 'confidentialvm']);

/**
 * Trusted launch as the Shielded VM settings: securityProfile.uefiSettings secureBootEnabled
 * and vTpmEnabled. Without a securityType the VM is a Standard one, and "UefiSettings will not
 * be enabled unless this property is set": neither secure boot nor vTPM. Integrity monitoring
 * is the Guest Attestation extension, not in the VM body: unknown. A body without its
 * storageProfile is not a whole VM, and a securityType of a type the API never writes is
 * unreadable: unknown.
 * https://learn.microsoft.com/en-us/rest/api/compute/virtual-machines/get#securityprofile
 * https://learn.microsoft.com/en-us/azure/virtual-machines/trusted-launch
 */
function trustedLaunch(properties: JsonObject): ComputeInstanceProperties['shieldedVm'] {
  if (asObject(properties['storageProfile']) === null) return null;
  const profile = properties['securityProfile'];
  if (profile !== undefined && profile !== null && asObject(profile) === null) return null;
  const securityType = asObject(profile)?.['securityType'];
  if (securityType !== undefined && securityType !== null && typeof securityType !== 'string') {
    return null;
  }
  if (typeof securityType !== 'string' || !UEFI_SECURITY_TYPES.has(securityType.toLowerCase())) {
    return { secureBoot: false, vtpm: false, integrityMonitoring: null };
  }
  const uefi = asObject(at(profile, 'uefiSettings'));
  return {
    secureBoot: asBoolean(uefi?.['secureBootEnabled']),
    vtpm: asBoolean(uefi?.['vTpmEnabled']),
    integrityMonitoring: null,
  };
}
