import { asObject, asText, type JsonObject } from '../decode/json.js';
import { canonicalType, T } from '../types.js';
import { apiVersionOf } from './api-versions.js';
import type { AzureClients } from './clients.js';

/** A judged resource's body and the records the inventory reads beside it. */
export interface WithChildren {
  readonly body: JsonObject;
  readonly children: JsonObject[];
}

/**
 * Reads by ARM what Resource Graph does not hold for a judged resource:
 * for a storage account its blobServices (versioning) and blob containers
 * (public access), as records beside it; for a SQL server its firewall
 * rules, set into the body as properties.firewallRules, so a server with no
 * rule reads as "no rules", not "rules unknown". Other types come back as
 * they are. Throws the first read that fails: a resource judged without its
 * children would be judged on unknowns.
 * https://learn.microsoft.com/rest/api/storagerp/blob-services/list
 * https://learn.microsoft.com/rest/api/storagerp/blob-containers/list
 * https://learn.microsoft.com/rest/api/sql/firewall-rules/list-by-server
 */
export async function withChildren(
  clients: Pick<AzureClients, 'armList'>,
  body: JsonObject,
  signal?: AbortSignal,
): Promise<WithChildren> {
  const id = asText(body['id'])?.replace(/\/+$/, '');
  const type = canonicalType(asText(body['type']) ?? '');
  if (!id) return { body, children: [] };
  if (type === T.storageAccount) {
    const version = apiVersionOf(T.storageAccount);
    const [services, containers] = await Promise.all([
      clients.armList(`${id}/blobServices`, version, signal),
      clients.armList(`${id}/blobServices/default/containers`, version, signal),
    ]);
    return { body, children: [...services, ...containers] };
  }
  if (type === T.sqlServer) {
    const rules = await clients.armList(
      `${id}/firewallRules`,
      apiVersionOf(T.sqlFirewallRule),
      signal,
    );
    const properties = asObject(body['properties']) ?? {};
    return { body: { ...body, properties: { ...properties, firewallRules: rules } }, children: [] };
  }
  return { body, children: [] };
}
