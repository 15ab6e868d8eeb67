/**
 * The top-level resource of a nested ARM id: for
 * `…/providers/Microsoft.Sql/servers/s1/firewallRules/r1` the server
 * `…/providers/Microsoft.Sql/servers/s1`, for a blob container its storage
 * account. Null when the id is itself top-level (or names no resource, like a
 * resource group). A deleted top-level resource leaves nothing to re-read;
 * a deleted child leaves a parent whose judgement it was part of (a server's
 * firewall, an account's containers), which the reader finds from the id.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/child-resource-name-type
 */
export function topLevelResourceId(id: string): string | null {
  const trimmed = id.trim().replace(/\/+$/, '');
  const match = /\/providers\/[^/]+\/[^/]+\/[^/]+/i.exec(trimmed);
  if (!match) return null;
  const end = match.index + match[0].length;
  return end < trimmed.length ? trimmed.slice(0, end) : null;
}
