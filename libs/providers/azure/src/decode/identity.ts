import { asObject, asText, sortedUnique } from './json.js';

/**
 * Managed identities of a resource: the system-assigned principalId and the
 * resource ids of user-assigned identities (the keys of userAssignedIdentities).
 * `identity` absent → null (not reported); null or type "None" → [] (Resource
 * Graph writes null for a resource without identity).
 * https://learn.microsoft.com/en-us/rest/api/compute/virtual-machines/get#virtualmachineidentity
 */
export function managedIdentities(identity: unknown): string[] | null {
  if (identity === undefined) return null;
  if (identity === null) return [];
  const value = asObject(identity);
  if (!value) return null;
  if (asText(value['type'])?.trim().toLowerCase() === 'none') return [];
  const ids: string[] = [];
  const principal = asText(value['principalId']);
  if (principal) ids.push(principal);
  const userAssigned = asObject(value['userAssignedIdentities']);
  if (userAssigned) ids.push(...Object.keys(userAssigned));
  return sortedUnique(ids);
}

/**
 * The one identity a function runs as: the system-assigned principal when there
 * is one, else the first user-assigned identity (by id), else null.
 */
export function primaryIdentity(identity: unknown): string | null {
  const value = asObject(identity);
  if (!value || asText(value['type'])?.trim().toLowerCase() === 'none') return null;
  const principal = asText(value['principalId']);
  if (principal) return principal;
  const userAssigned = asObject(value['userAssignedIdentities']);
  return userAssigned ? (Object.keys(userAssigned).sort()[0] ?? null) : null;
}
