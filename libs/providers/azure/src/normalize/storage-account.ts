import {
  observedAtOr,
  type InventoryContext,
  type ResourceOf,
} from '@drift-detective/resource-model';
import { factsOf } from '../context.js';
import { idKey, lastSegment, subscriptionOf } from '../decode/arm-id.js';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { asBoolean, asObject, asText, at, type JsonObject } from '../decode/json.js';
import { approvedPrivateEndpoint } from '../decode/private-endpoints.js';
import { T } from '../types.js';
import { emptyStorageProperties } from './storage-common.js';

// Storage account properties:
// https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/get-properties

/**
 * allowBlobPublicAccess exists from api-version 2019-06-01 and is only returned once
 * set; older bodies and older accounts omit it. Absent is unknown, not false.
 * https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent
 */
function allowBlobPublicAccess(properties: JsonObject): boolean | null {
  return asBoolean(properties['allowBlobPublicAccess']);
}

/**
 * The Key Vault key behind customer-managed encryption: the versioned identifier
 * when ARM reports it, else the key URI built from its parts (keyvaulturi is the
 * vault URL, the key lives under /keys/{name}[/{version}]).
 * https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/get-properties#keyvaultproperties
 * https://learn.microsoft.com/en-us/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers
 */
function keyIdOf(encryption: JsonObject | null): string | null {
  const vault = asObject(encryption?.['keyvaultproperties']);
  if (!vault) return null;
  const versioned = asText(vault['currentVersionedKeyIdentifier']);
  if (versioned) return versioned;
  const uri = asText(vault['keyvaulturi']);
  const name = asText(vault['keyname']);
  if (!uri || !name) return null;
  const version = asText(vault['keyversion']);
  return `${uri.replace(/\/+$/, '')}/keys/${name}${version ? `/${version}` : ''}`;
}

/**
 * publicNetworkAccess: "Enabled", "Disabled", or "SecuredByPerimeter" (a network security
 * perimeter decides, not the public internet). Absent on accounts that never set it: unknown.
 * https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/get-properties#publicnetworkaccess
 */
function publicNetworkAccess(value: unknown): boolean | null {
  switch (asText(value)?.toLowerCase()) {
    case 'enabled':
      return true;
    case 'disabled':
    case 'securedbyperimeter':
      return false;
    default:
      return null;
  }
}

/**
 * networkAcls.bypass is a comma-separated list of "None", "Logging", "Metrics",
 * "AzureServices". An account without networkAcls, or a bypass that is not a string, does not
 * say.
 * https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/get-properties#bypass
 * https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security#grant-access-to-trusted-azure-services
 */
function trustedServicesBypass(networkAcls: JsonObject | null): boolean | null {
  const bypass = asText(networkAcls?.['bypass']);
  if (bypass === null) return null;
  return bypass
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .includes('azureservices');
}

/** First pass: what the account's containers inherit. */
export function collectStorageAccount(arm: ArmRecord, context: InventoryContext): void {
  factsOf(context).accounts.set(idKey(arm.id), {
    allowBlobPublicAccess: allowBlobPublicAccess(arm.properties),
    region: asText(arm.native['location']),
  });
}

export function normalizeStorageAccount(
  arm: ArmRecord,
  context: InventoryContext,
): ResourceOf<'storage.bucket'> {
  const { properties } = arm;
  const encryption = asObject(properties['encryption']);
  const blobService = factsOf(context).blobServices.get(idKey(arm.id));
  const result = emptyStorageProperties();
  result.allowBlobPublicAccess = allowBlobPublicAccess(properties);
  result.encryption = {
    // Absent on bodies that list no blob service: unknown, not unencrypted.
    atRest: asBoolean(at(encryption, 'services', 'blob', 'enabled')),
    // "Microsoft.Storage" (platform key) or "Microsoft.Keyvault" (customer key).
    algorithm: asText(encryption?.['keySource']),
    keyId: keyIdOf(encryption),
  };
  result.transport = {
    httpsOnly: asBoolean(properties['supportsHttpsTrafficOnly']),
    // "TLS1_0" | "TLS1_1" | "TLS1_2" | "TLS1_3"; absent before api-version 2019-06-01.
    minimumTlsVersion: asText(properties['minimumTlsVersion']),
  };
  // Versioning is a property of the account's blobServices/default child, a separate record.
  result.versioning = { enabled: blobService?.versioning ?? null };
  // Both absent on bodies of older API versions, and on accounts that never set them: unknown.
  // https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/get-properties#storageaccount
  result.crossTenantReplication = asBoolean(properties['allowCrossTenantReplication']);
  result.infrastructureEncryption = asBoolean(encryption?.['requireInfrastructureEncryption']);
  result.publicNetworkAccess = publicNetworkAccess(properties['publicNetworkAccess']);
  result.trustedServicesBypass = trustedServicesBypass(asObject(properties['networkAcls']));
  result.privateEndpoint = approvedPrivateEndpoint(properties['privateEndpointConnections']);
  return armResource(arm, context, 'storage.bucket', T.storageAccount, result);
}

/**
 * blobServices records whose account never came: an account made only of its blob
 * settings, so the versioning they report is not lost. Everything else is null.
 */
export function storageAccountLeftovers(context: InventoryContext): ResourceOf<'storage.bucket'>[] {
  const facts = factsOf(context);
  const result: ResourceOf<'storage.bucket'>[] = [];
  for (const [key, service] of facts.blobServices) {
    if (facts.accounts.has(key)) continue;
    const properties = emptyStorageProperties();
    properties.versioning = { enabled: service.versioning };
    result.push({
      provider: 'azure',
      kind: 'storage.bucket',
      nativeType: T.storageAccount,
      id: service.accountId,
      name: lastSegment(service.accountId),
      account: subscriptionOf(service.accountId) ?? '',
      region: null,
      tags: {},
      observedAt: observedAtOr(context, null),
      properties,
      native: { id: service.accountId, type: T.storageAccount, blobServices: [service.native] },
    });
  }
  return result.sort((a, b) => a.id.localeCompare(b.id));
}
