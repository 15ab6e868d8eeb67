import type { Kind } from '@drift-detective/resource-model';

/** What a native type becomes: a kind, or "context" for records only read for another resource. */
export type AzureTypeMapping = Kind | 'context';

/**
 * Native ARM types this library understands, in the canonical case ARM uses, with
 * the kind each becomes. Every other type becomes kind "other".
 */
export const SUPPORTED_TYPES: Readonly<Record<string, AzureTypeMapping>> = Object.freeze({
  'Microsoft.Storage/storageAccounts': 'storage.bucket',
  'Microsoft.Storage/storageAccounts/blobServices': 'context',
  'Microsoft.Storage/storageAccounts/blobServices/containers': 'storage.bucket',
  'Microsoft.Network/networkSecurityGroups': 'network.firewall',
  'Microsoft.Sql/servers': 'database.instance',
  'Microsoft.Sql/servers/firewallRules': 'context',
  'Microsoft.Compute/virtualMachines': 'compute.instance',
  'Microsoft.KeyVault/vaults': 'kms.key',
  'Microsoft.Authorization/roleDefinitions': 'iam.policy',
  'Microsoft.Web/sites': 'serverless.function',
});

export const T = {
  storageAccount: 'Microsoft.Storage/storageAccounts',
  blobService: 'Microsoft.Storage/storageAccounts/blobServices',
  blobContainer: 'Microsoft.Storage/storageAccounts/blobServices/containers',
  networkSecurityGroup: 'Microsoft.Network/networkSecurityGroups',
  sqlServer: 'Microsoft.Sql/servers',
  sqlFirewallRule: 'Microsoft.Sql/servers/firewallRules',
  virtualMachine: 'Microsoft.Compute/virtualMachines',
  keyVault: 'Microsoft.KeyVault/vaults',
  roleDefinition: 'Microsoft.Authorization/roleDefinitions',
  webSite: 'Microsoft.Web/sites',
} as const;

const BY_LOWER_CASE = new Map(Object.keys(SUPPORTED_TYPES).map((t) => [t.toLowerCase(), t]));

/**
 * The canonical ARM spelling of a supported type, or null. Resource Graph writes
 * types in lower case ("microsoft.storage/storageaccounts"), ARM GET in their
 * original case; ARM types are case-insensitive.
 * https://learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/query-language#resource-graph-tables
 */
export function canonicalType(type: string): string | null {
  return BY_LOWER_CASE.get(type.trim().toLowerCase()) ?? null;
}
