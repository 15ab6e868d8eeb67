import {
  addressSpanOfRange,
  type AddressRange,
  type InventoryContext,
} from '@drift-detective/resource-model';
import { factsOf, type FirewallFacts } from '../context.js';
import { idKey, parentId } from '../decode/arm-id.js';
import type { ArmRecord } from '../decode/arm-record.js';
import { isIpv4 } from '../decode/ip.js';
import { asObject, asText, isObject, type JsonObject } from '../decode/json.js';

function ipOf(value: unknown): string | null {
  const text = asText(value)?.trim();
  return text && isIpv4(text) ? text : null;
}

/**
 * A server firewall rule as an address range. 0.0.0.0–0.0.0.0 is the special
 * AllowAllWindowsAzureIps rule ("Allow Azure services and resources to access this
 * server"): Azure's own addresses, not the internet. It is kept as that range, so
 * a rule can tell it from 0.0.0.0–255.255.255.255. The source writes no CIDR.
 * https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure#connections-from-inside-azure
 * https://learn.microsoft.com/en-us/rest/api/sql/firewall-rules/get#firewallrule
 */
export function addressRangeOf(rule: JsonObject): AddressRange {
  // ARM nests the addresses under `properties`; a Resource Graph join may flatten them.
  const fields = asObject(rule['properties']) ?? rule;
  const startIp = ipOf(fields['startIpAddress']);
  const endIp = ipOf(fields['endIpAddress']);
  return {
    name: asText(rule['name']),
    cidr: null,
    startIp,
    endIp,
    span: startIp !== null && endIp !== null ? addressSpanOfRange(startIp, endIp) : null,
  };
}

/** Sorted by name, then addresses, so output does not depend on record order. */
export function sortRanges(ranges: AddressRange[]): AddressRange[] {
  const key = (r: AddressRange) => `${r.name ?? ''}\u0000${r.startIp ?? ''}\u0000${r.endIp ?? ''}`;
  return [...ranges].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * First pass: a Microsoft.Sql/servers/firewallRules record is part of its server's
 * allowedNetworks. Returns false when the record names no server, so it is
 * reported, not silently dropped.
 */
export function collectSqlFirewallRule(arm: ArmRecord, context: InventoryContext): boolean {
  const serverId = parentId(arm.id, 'firewallRules');
  if (serverId === null || !isObject(arm.native)) return false;
  serverFacts(serverId, context).rules.set(idKey(arm.id), {
    range: addressRangeOf(arm.native),
    native: arm.native,
  });
  return true;
}

function serverFacts(serverId: string, context: InventoryContext): FirewallFacts {
  const rules = factsOf(context).firewallRules;
  const key = idKey(serverId);
  let server = rules.get(key);
  if (!server) {
    server = { serverId, rules: new Map(), unreadable: new Set() };
    rules.set(key, server);
  }
  return server;
}

const SQL_FIREWALL_RULE_ID = /\/providers\/microsoft\.sql\/servers\/[^/]+\/firewallrules\/[^/]+$/i;

/**
 * First pass, for a record that could not be read: when it still names a SQL server's
 * firewall rule by its id, that server's rules are incomplete, and its allowedNetworks is
 * unknown rather than the rules that were read, which could leave out the one that opens it.
 * (The record itself is reported in the second pass.) A record without a readable id cannot
 * be tied to a server.
 */
export function noteUnreadableSqlFirewallRule(value: unknown, context: InventoryContext): void {
  const id = sqlFirewallRuleIdOf(value);
  const serverId = id === null ? null : parentId(id, 'firewallRules');
  if (id !== null && serverId !== null) serverFacts(serverId, context).unreadable.add(idKey(id));
}

/** The id of a record that names a SQL server firewall rule, however broken the rest. */
export function sqlFirewallRuleIdOf(value: unknown): string | null {
  const id = isObject(value) ? asText(value['id']) : null;
  return id !== null && SQL_FIREWALL_RULE_ID.test(id) ? id : null;
}
