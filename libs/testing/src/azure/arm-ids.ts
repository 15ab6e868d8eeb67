// Reading ARM resource ids: /subscriptions/{sub}/resourceGroups/{rg}/providers/
// {namespace}/{type}/{name}[/{childType}/{childName}…]
// (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
// and the id format in https://learn.microsoft.com/rest/api/resources/resources/get-by-id).

/** The subscription an id lies in, as written; undefined for tenant-level ids. */
export function subscriptionOf(id: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];
}

export function resourceGroupOf(id: string): string | undefined {
  return /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
}

/**
 * The resource type in the case the id spells it (ARM GET answers it so;
 * Resource Graph lower-cases it): the namespace after the last `/providers/`,
 * then every other segment. Undefined when the id has no provider part.
 */
export function typeFromId(id: string): string | undefined {
  const segments = id.split('/').filter((s) => s !== '');
  if (segments.length === 2 && segments[0]?.toLowerCase() === 'subscriptions') {
    return 'Microsoft.Resources/subscriptions';
  }
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  if (at < 0 || segments.length - at < 4) return undefined;
  const [namespace, ...rest] = segments.slice(at + 1);
  const types = rest.filter((_, i) => i % 2 === 0);
  return [namespace, ...types].join('/');
}

/** Lower-cased, with one leading slash and no trailing one: ARM ids compare case-insensitively. */
export function idKey(id: string): string {
  return `/${id.replace(/^\/+/, '').replace(/\/+$/, '')}`.toLowerCase();
}

/** The id with exactly one leading slash: `{resourceId}` path parameters arrive with or without it. */
export function canonicalId(id: string): string {
  return `/${id.replace(/^\/+/, '').replace(/\/+$/, '')}`;
}
