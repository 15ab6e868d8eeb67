import type { InventoryContext, ResourceOf } from '@drift-detective/resource-model';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { coversPublicIpv4 } from '../decode/ip.js';
import { asObject, asText, type JsonObject } from '../decode/json.js';
import { approvedPrivateEndpoint } from '../decode/private-endpoints.js';
import { T } from '../types.js';

/**
 * Whether the vault's network rules admit the internet.
 * - publicNetworkAccess "Disabled" closes the public endpoint whatever the ACLs say.
 * - networkAcls.defaultAction "Allow" admits every network; "Deny" admits only the
 *   listed ipRules and virtual networks — unless the ipRules together span every
 *   public address (the internet split into /1…/8 blocks).
 * - "Enabled" without networkAcls: all networks (the vault default).
 * - Neither property: unknown.
 * https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/vaults/get#vaultproperties
 * https://learn.microsoft.com/en-us/azure/key-vault/general/network-security
 */
function publicNetworkAccessOf(properties: JsonObject): boolean | null {
  const access = asText(properties['publicNetworkAccess'])?.trim().toLowerCase();
  if (access === 'disabled') return false;
  const acls = asObject(properties['networkAcls']);
  const action = asText(acls?.['defaultAction'])?.trim().toLowerCase();
  if (action === 'allow') return true;
  if (action === 'deny') {
    const ipRules = acls?.['ipRules'];
    const prefixes = Array.isArray(ipRules)
      ? ipRules.map((rule) => asText(asObject(rule)?.['value'])).filter((v) => v !== null)
      : [];
    return coversPublicIpv4(prefixes);
  }
  return access === 'enabled' && acls === null ? true : null;
}

/**
 * A Key Vault. Rotation policies belong to each key, not to the vault, and the
 * vault body has no key state: those stay null.
 * https://learn.microsoft.com/en-us/azure/key-vault/keys/how-to-configure-key-rotation
 */
export function normalizeKeyVault(
  arm: ArmRecord,
  context: InventoryContext,
): ResourceOf<'kms.key'> {
  return armResource(arm, context, 'kms.key', T.keyVault, {
    rotationEnabled: null,
    rotationPeriodDays: null,
    keyManager: null,
    keyState: null,
    policy: null,
    iamBindings: null,
    publicNetworkAccess: publicNetworkAccessOf(arm.properties),
    purgeProtected: purgeProtectedOf(arm.properties),
    rbacAuthorization: rbacOf(arm.properties),
    privateEndpoint: approvedPrivateEndpoint(arm.properties['privateEndpointConnections']),
  });
}

/**
 * Purge protection "does not accept false as its value": once on it stays on, so a vault body
 * without enablePurgeProtection has it off. It takes effect only with soft delete, which is on
 * unless enableSoftDelete is false (new vaults cannot turn it off).
 * https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/vaults/get#vaultproperties
 * https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview
 */
function purgeProtectedOf(properties: JsonObject): boolean | null {
  const purge = properties['enablePurgeProtection'];
  const softDelete = properties['enableSoftDelete'];
  if (
    (purge !== undefined && purge !== null && typeof purge !== 'boolean') ||
    (softDelete !== undefined && softDelete !== null && typeof softDelete !== 'boolean')
  ) {
    return null;
  }
  return purge === true && softDelete !== false;
}

/**
 * enableRbacAuthorization: "If false, the key vault will use the access policies specified in
 * vault properties"; absent means false (the API's default when not set).
 * https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/vaults/get#vaultproperties
 */
function rbacOf(properties: JsonObject): boolean | null {
  const rbac = properties['enableRbacAuthorization'];
  if (rbac === undefined || rbac === null) return false;
  return typeof rbac === 'boolean' ? rbac : null;
}
