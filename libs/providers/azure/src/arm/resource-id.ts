import { parentId } from '../decode/arm-id.js';
import { canonicalType, T } from '../types.js';
import { API_VERSIONS } from './api-versions.js';

/**
 * The type an ARM id names: the namespace after its last `/providers/`,
 * then every other segment (type/name pairs): ".../providers/Microsoft.Storage/
 * storageAccounts/a/blobServices/default/containers/c" names
 * "Microsoft.Storage/storageAccounts/blobServices/containers"
 * (the id format of
 * https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/resource-api-reference.md).
 * null when the id names no provider resource (a subscription, a resource group).
 */
export function typeOfId(id: string): string | null {
  const segments = id
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .split('/');
  const providers = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  if (providers < 0) return null;
  const [namespace, ...rest] = segments.slice(providers + 1);
  if (!namespace || !namespace.includes('.') || rest.length < 2 || rest.length % 2 !== 0)
    return null;
  const types = rest.filter((_, index) => index % 2 === 0);
  return [namespace, ...types].join('/');
}

/** NSG rules are their own ARM resources, but only the NSG is judged (rules apply in priority order). */
const NSG_RULE_SEGMENTS = ['securityRules', 'defaultSecurityRules'];

/** The resource whose state is judged for an id, with its canonical type. */
export interface JudgedTarget {
  readonly id: string;
  readonly type: string;
}

/**
 * What must be read to judge the resource an id names: the resource itself,
 * or for a child the parent that is judged with it — a blob container or
 * blobServices → its storage account (a container's exposure depends on the
 * account's allowBlobPublicAccess), a SQL firewall rule → its server, an NSG
 * rule → its NSG. null for a type this library cannot read.
 */
export function judgedTargetOf(resourceId: string): JudgedTarget | null {
  const named = typeOfId(resourceId);
  if (named === null) return null;
  const lower = named.toLowerCase();
  if (lower.startsWith('microsoft.storage/storageaccounts/blobservices')) {
    const account = parentId(resourceId, 'blobServices');
    return account ? { id: account, type: T.storageAccount } : null;
  }
  if (lower === 'microsoft.sql/servers/firewallrules') {
    const server = parentId(resourceId, 'firewallRules');
    return server ? { id: server, type: T.sqlServer } : null;
  }
  if (lower.startsWith('microsoft.network/networksecuritygroups/')) {
    for (const segment of NSG_RULE_SEGMENTS) {
      const nsg = parentId(resourceId, segment);
      if (nsg) return { id: nsg, type: T.networkSecurityGroup };
    }
    return null;
  }
  const type = canonicalType(named);
  if (type === null || !Object.hasOwn(API_VERSIONS, type)) return null;
  return { id: resourceId.trim().replace(/\/+$/, ''), type };
}
