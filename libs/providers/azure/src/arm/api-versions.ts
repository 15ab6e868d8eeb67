import { T } from '../types.js';

/**
 * The api-version of each ARM read, per canonical type: the newest stable
 * version of each resource provider's REST contract (the `stable/<version>`
 * folders of https://github.com/Azure/azure-rest-api-specs). Every field the
 * normalizers read exists in these versions.
 */
export const API_VERSIONS: Readonly<Record<string, string>> = Object.freeze({
  // specification/storage/resource-manager/Microsoft.Storage/stable/2025-06-01 (storage.json, blob.json)
  // https://learn.microsoft.com/rest/api/storagerp/storage-accounts/get-properties
  // https://learn.microsoft.com/rest/api/storagerp/blob-services/list
  // https://learn.microsoft.com/rest/api/storagerp/blob-containers/list
  [T.storageAccount]: '2025-06-01',
  [T.blobService]: '2025-06-01',
  [T.blobContainer]: '2025-06-01',
  // specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/networkSecurityGroup.json
  // https://learn.microsoft.com/rest/api/virtualnetwork/network-security-groups/get
  [T.networkSecurityGroup]: '2024-05-01',
  // specification/sql/resource-manager/Microsoft.Sql/stable/2023-08-01 (Servers.json, FirewallRules.json)
  // https://learn.microsoft.com/rest/api/sql/servers/get
  // https://learn.microsoft.com/rest/api/sql/firewall-rules/list-by-server
  [T.sqlServer]: '2023-08-01',
  [T.sqlFirewallRule]: '2023-08-01',
  // specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-07-01/virtualMachine.json
  // https://learn.microsoft.com/rest/api/compute/virtual-machines/get
  [T.virtualMachine]: '2024-07-01',
  // specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/keyvault.json
  // https://learn.microsoft.com/rest/api/keyvault/keyvault/vaults/get
  [T.keyVault]: '2024-11-01',
  // specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleDefinitionsCalls.json
  // https://learn.microsoft.com/rest/api/authorization/role-definitions/get-by-id
  [T.roleDefinition]: '2022-04-01',
  // specification/web/resource-manager/Microsoft.Web/stable/2024-04-01/WebApps.json
  // https://learn.microsoft.com/rest/api/appservice/web-apps/get
  [T.webSite]: '2024-04-01',
});

/** The api-version for reading a canonical type; throws for a type this library does not read. */
export function apiVersionOf(type: string): string {
  const version = API_VERSIONS[type];
  if (version === undefined) throw new TypeError(`no api-version known for ${type}`);
  return version;
}
