import { asObject, asText, at } from './json.js';

/**
 * Whether a resource is reached through an approved private endpoint: one entry of its
 * privateEndpointConnections whose privateLinkServiceConnectionState.status is "Approved"
 * (Pending, Rejected and Disconnected connections carry no traffic). The list is [] on bodies
 * that have none and absent on older API versions: absent is unknown. An entry that cannot be
 * read leaves the answer unknown unless another entry is approved.
 * https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/get-properties#privateendpointconnection
 * https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/vaults/get#privateendpointconnectionitem
 */
export function approvedPrivateEndpoint(connections: unknown): boolean | null {
  if (!Array.isArray(connections)) return null;
  let unreadable = false;
  for (const connection of connections) {
    const status = asText(
      at(asObject(connection), 'properties', 'privateLinkServiceConnectionState', 'status'),
    );
    if (status === null) unreadable = true;
    else if (status.toLowerCase() === 'approved') return true;
  }
  return unreadable ? null : false;
}
