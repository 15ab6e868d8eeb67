import type {
  AddressRange,
  InventoryContext,
  PropertiesOf,
  ResourceOf,
} from '@drift-detective/resource-model';
import { observedAtOr } from '@drift-detective/resource-model';
import { factsOf, type FirewallFacts } from '../context.js';
import { idKey, lastSegment, subscriptionOf } from '../decode/arm-id.js';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { asText, isObject } from '../decode/json.js';
import { T } from '../types.js';
import { addressRangeOf, sortRanges } from './sql-firewall-rule.js';

// Server properties:
// https://learn.microsoft.com/en-us/rest/api/sql/servers/get#server

/**
 * publicNetworkAccess "Enabled" | "Disabled" exists from api-version 2019-06-01-preview;
 * older bodies omit it (→ unknown). "SecuredByPerimeter" leaves access to a network
 * security perimeter, which this inventory does not see (→ unknown).
 */
function publicNetworkAccessOf(value: unknown): boolean | null {
  const text = asText(value)?.trim().toLowerCase();
  if (text === 'enabled') return true;
  if (text === 'disabled') return false;
  return null;
}

function rangeKey(range: AddressRange): string {
  return `${range.name?.toLowerCase() ?? ''}|${range.startIp ?? ''}|${range.endIp ?? ''}`;
}

/**
 * Firewall rules from the row itself (a Resource Graph join or an expanded body
 * with properties.firewallRules) and from separate firewallRules records of the
 * same inventory. null when neither was seen: unknown, not "no rules".
 */
function allowedNetworksOf(
  inline: unknown,
  collected: FirewallFacts | undefined,
): AddressRange[] | null {
  // A rule record that could not be read may be the one that opens the server.
  if (collected !== undefined && collected.unreadable.size > 0) return null;
  const ranges = new Map<string, AddressRange>();
  const known = Array.isArray(inline) || collected !== undefined;
  if (Array.isArray(inline)) {
    for (const rule of inline) {
      // An unreadable entry is still a rule: its addresses are unknown, not absent.
      const range = isObject(rule)
        ? addressRangeOf(rule)
        : { name: null, cidr: null, startIp: null, endIp: null, span: null };
      ranges.set(rangeKey(range), range);
    }
  }
  for (const { range } of collected?.rules.values() ?? []) ranges.set(rangeKey(range), range);
  return known ? sortRanges([...ranges.values()]) : null;
}

function properties(
  publicNetworkAccess: boolean | null,
  allowedNetworks: AddressRange[] | null,
  engineVersion: string | null,
  kmsKeyId: string | null,
): PropertiesOf<'database.instance'> {
  return {
    engine: 'sqlserver',
    engineVersion,
    publicNetworkAccess,
    allowedNetworks,
    // Transparent data encryption is reported per database, not on the server.
    storageEncrypted: null,
    kmsKeyId,
    // Backups are automatic and per database; the server reports nothing of them.
    automatedBackups: null,
    // "SQL Database, SQL Managed Instance, and Azure Synapse Analytics enforce encryption
    // (SSL/TLS) at all times for all connections."
    // https://learn.microsoft.com/azure/azure-sql/database/security-overview#transport-layer-security-encryption-in-transit
    tlsRequired: true,
    // Azure SQL Database is patched by the service; there is no upgrade switch.
    autoMinorVersionUpgrade: null,
    // Azure SQL has no server flags of the kind the benchmarks name (its PostgreSQL and MySQL
    // flexible servers do, as `configurations` children, which this inventory does not read).
    databaseFlags: null,
  };
}

/** First pass: the server is in the inventory, so its rules are not leftovers. */
export function collectSqlServer(arm: ArmRecord, context: InventoryContext): void {
  factsOf(context).sqlServers.add(idKey(arm.id));
}

export function normalizeSqlServer(
  arm: ArmRecord,
  context: InventoryContext,
): ResourceOf<'database.instance'> {
  const p = arm.properties;
  const collected = factsOf(context).firewallRules.get(idKey(arm.id));
  return armResource(
    arm,
    context,
    'database.instance',
    T.sqlServer,
    properties(
      publicNetworkAccessOf(p['publicNetworkAccess']),
      allowedNetworksOf(p['firewallRules'], collected),
      asText(p['version']),
      // The customer-managed TDE protector key, when one is set (api-version 2021-11-01+).
      asText(p['keyId']),
    ),
  );
}

/**
 * Firewall rules whose server never came: a server made only of its rules, so the
 * rules are reported rather than lost. Everything the server body would say is null.
 */
export function sqlServerLeftovers(context: InventoryContext): ResourceOf<'database.instance'>[] {
  const facts = factsOf(context);
  const result: ResourceOf<'database.instance'>[] = [];
  for (const [key, server] of facts.firewallRules) {
    if (facts.sqlServers.has(key)) continue;
    const natives = [...server.rules.values()].map((r) => r.native);
    result.push({
      provider: 'azure',
      kind: 'database.instance',
      nativeType: T.sqlServer,
      id: server.serverId,
      name: lastSegment(server.serverId),
      account: subscriptionOf(server.serverId) ?? '',
      region: null,
      tags: {},
      observedAt: observedAtOr(context, null),
      properties: properties(null, allowedNetworksOf(undefined, server), null, null),
      native: { id: server.serverId, type: T.sqlServer, firewallRules: natives },
    });
  }
  return result.sort((a, b) => a.id.localeCompare(b.id));
}
