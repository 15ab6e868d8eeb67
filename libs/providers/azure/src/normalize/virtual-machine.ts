import type { InventoryContext, ResourceOf } from '@drift-detective/resource-model';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { managedIdentities } from '../decode/identity.js';
import { asObject, asText, at, type JsonObject } from '../decode/json.js';
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
    // has no serial-port metadata switch; trusted launch (securityProfile) is not read yet.
    ipForwarding: null,
    serialPortEnabled: null,
    projectSshKeysBlocked: null,
    osLoginEnabled: null,
    shieldedVm: null,
  });
}
