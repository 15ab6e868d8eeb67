import {
  addressSpans,
  NormalizeError,
  type FirewallRule,
  type InventoryContext,
  type PortRange,
  type ResourceOf,
} from '@drift-detective/resource-model';
import { parentId } from '../decode/arm-id.js';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { coversPublicIpv4, toCidr } from '../decode/ip.js';
import {
  asInteger,
  asObject,
  asStringList,
  asText,
  isObject,
  sortedUnique,
  type JsonObject,
} from '../decode/json.js';
import { T } from '../types.js';

// Security rule fields:
// https://learn.microsoft.com/en-us/rest/api/virtualnetwork/network-security-groups/get#securityrule

const INTERNET = ['0.0.0.0/0', '::/0'];

/**
 * Sources that mean "anywhere": "*" and "Any" (the portal's word for *), the
 * "Internet" service tag, and 0.0.0.0/0. All become both internet CIDRs.
 * https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview#security-rules
 * https://learn.microsoft.com/en-us/azure/virtual-network/service-tags-overview#available-service-tags
 */
const INTERNET_ALIASES = new Set(['*', 'any', 'internet', '0.0.0.0/0']);

/** A service tag: "VirtualNetwork", "AzureLoadBalancer", "Storage.EastUS", "AzureCloud.WestEurope". */
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*$/;

class UnreadableRule extends Error {}

function unreadable(message: string): never {
  throw new UnreadableRule(message);
}

/** "80", "88-90", "22-22" → a range; "*" is handled by the caller. */
function portRange(text: string): PortRange {
  const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(text);
  if (!match) unreadable(`port range "${text}" is not a port or a range`);
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  if (from > 65535 || to > 65535 || from > to) unreadable(`port range "${text}" is out of bounds`);
  return { from, to };
}

/**
 * Destination ports. A rule writes either destinationPortRange ("*", "80",
 * "88-90") or destinationPortRanges (a list; the singular key is then absent),
 * and ARM still returns the unused one as [] — so both are read. "*" anywhere is
 * every port (null).
 */
function portsOf(fields: JsonObject): PortRange[] | null {
  const texts: string[] = [];
  const single = asText(fields['destinationPortRange']);
  if (single !== null) texts.push(single);
  const many = fields['destinationPortRanges'];
  if (many !== undefined && many !== null) {
    const list = asStringList(many);
    if (list === null) unreadable('destinationPortRanges is not a list of strings');
    texts.push(...list.filter((t) => t.trim() !== ''));
  }
  if (texts.length === 0) unreadable('no destinationPortRange(s)');
  if (texts.some((t) => t.trim() === '*')) return null;
  const ranges = texts.map(portRange);
  const seen = new Map(ranges.map((r) => [`${r.from}-${r.to}`, r]));
  return [...seen.values()].sort((a, b) => a.from - b.from || a.to - b.to);
}

function peerOf(prefix: string): string[] {
  const text = prefix.trim();
  if (INTERNET_ALIASES.has(text.toLowerCase())) return INTERNET;
  const cidr = toCidr(text);
  if (cidr !== null) return [cidr];
  if (SERVICE_TAG.test(text)) return [`service:${text}`];
  return unreadable(`address prefix "${prefix}" is neither a CIDR, an address nor a service tag`);
}

/**
 * Who the rule is about: sources for inbound, destinations for outbound. Prefixes
 * come as addressPrefix or addressPrefixes (same either/or as ports) or as
 * application security groups ("asg:<id>").
 * https://learn.microsoft.com/en-us/azure/virtual-network/application-security-groups
 */
function peersOf(fields: JsonObject, side: 'source' | 'destination'): string[] {
  const prefixes: string[] = [];
  const single = asText(fields[`${side}AddressPrefix`]);
  if (single !== null && single.trim() !== '') prefixes.push(single);
  const many = fields[`${side}AddressPrefixes`];
  if (many !== undefined && many !== null) {
    const list = asStringList(many);
    if (list === null) unreadable(`${side}AddressPrefixes is not a list of strings`);
    prefixes.push(...list.filter((t) => t.trim() !== ''));
  }
  const groups: string[] = [];
  const asgs = fields[`${side}ApplicationSecurityGroups`];
  if (asgs !== undefined && asgs !== null) {
    if (!Array.isArray(asgs)) unreadable(`${side}ApplicationSecurityGroups is not a list`);
    for (const group of asgs) {
      const id = asText(asObject(group)?.['id']);
      if (id === null) unreadable(`${side}ApplicationSecurityGroups has an entry without id`);
      groups.push(`asg:${id}`);
    }
  }
  if (prefixes.length === 0 && groups.length === 0) unreadable(`no ${side} address prefix`);
  const peers = prefixes.flatMap(peerOf);
  // Many CIDRs that together span every public address are the internet too.
  if (!peers.includes('0.0.0.0/0') && coversPublicIpv4(peers)) peers.push('0.0.0.0/0');
  return sortedUnique([...peers, ...groups]);
}

const DIRECTIONS = new Map<string, FirewallRule['direction']>([
  ['inbound', 'ingress'],
  ['outbound', 'egress'],
]);
const ACCESS = new Map<string, FirewallRule['action']>([
  ['allow', 'allow'],
  ['deny', 'deny'],
]);

/** Protocol in lower case; "*" is every protocol. Case varies ("Tcp", "TCP"). */
function protocolOf(value: unknown): string {
  const text = asText(value)?.trim();
  if (!text) unreadable('no protocol');
  return text === '*' ? 'all' : text.toLowerCase();
}

function ruleOf(rule: unknown, isDefault: boolean): FirewallRule {
  if (!isObject(rule)) unreadable('rule is not an object');
  // ARM nests the fields under `properties`; SDK and CLI output flattens them.
  const fields = asObject(rule['properties']) ?? rule;
  const direction = DIRECTIONS.get(asText(fields['direction'])?.toLowerCase() ?? '');
  if (!direction) unreadable('direction is neither Inbound nor Outbound');
  const action = ACCESS.get(asText(fields['access'])?.toLowerCase() ?? '');
  if (!action) unreadable('access is neither Allow nor Deny');
  const peers = peersOf(fields, direction === 'ingress' ? 'source' : 'destination');
  return {
    name: asText(rule['name']),
    direction,
    action,
    // Lower wins; default rules keep 65000+ so they sort after every user rule (100-4096).
    priority: asInteger(fields['priority']),
    protocol: protocolOf(fields['protocol']),
    ports: portsOf(fields),
    peers,
    peerSpans: addressSpans(peers),
    enabled: true,
    isDefault,
  };
}

function rulesOf(list: unknown, isDefault: boolean, key: string, source: string): FirewallRule[] {
  if (!Array.isArray(list)) throw new NormalizeError(source, `properties.${key} is not a list`);
  return list.map((rule, index) => {
    try {
      return ruleOf(rule, isDefault);
    } catch (error) {
      if (!(error instanceof UnreadableRule)) throw error;
      const name = isObject(rule) ? asText(rule['name']) : null;
      // One unreadable rule makes the whole group unreadable: dropping an Allow would
      // hide exposure, dropping a Deny would invent it.
      throw new NormalizeError(
        source,
        `${key}[${index}]${name ? ` (${name})` : ''}: ${error.message}`,
      );
    }
  });
}

/** Rules apply per direction in priority order, first match wins: keep that order. */
function byDirectionThenPriority(a: FirewallRule, b: FirewallRule): number {
  if (a.direction !== b.direction) return a.direction === 'ingress' ? -1 : 1;
  const pa = a.priority ?? Number.MAX_SAFE_INTEGER;
  const pb = b.priority ?? Number.MAX_SAFE_INTEGER;
  return pa - pb || (a.name ?? '').localeCompare(b.name ?? '');
}

/** The virtual network of the subnets the NSG is attached to, when they share one. */
function networkOf(properties: JsonObject): string | null {
  const subnets = properties['subnets'];
  if (!Array.isArray(subnets)) return null;
  const networks = new Map<string, string>();
  for (const subnet of subnets) {
    const id = asText(asObject(subnet)?.['id']);
    const network = id ? parentId(id, 'subnets') : null;
    if (network) networks.set(network.toLowerCase(), network);
  }
  return networks.size === 1 ? ([...networks.values()][0] ?? null) : null;
}

/**
 * A network security group: its own securityRules and the six built-in
 * defaultSecurityRules (AllowVnetInBound, AllowAzureLoadBalancerInBound,
 * DenyAllInBound, AllowVnetOutBound, AllowInternetOutBound, DenyAllOutBound).
 * https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview#default-security-rules
 */
export function normalizeNetworkSecurityGroup(
  arm: ArmRecord,
  context: InventoryContext,
): ResourceOf<'network.firewall'> {
  const { properties, source } = arm;
  // Every NSG body lists securityRules (possibly []): without it the rules are unknown.
  const own = rulesOf(properties['securityRules'], false, 'securityRules', source);
  const defaults =
    properties['defaultSecurityRules'] === undefined || properties['defaultSecurityRules'] === null
      ? []
      : rulesOf(properties['defaultSecurityRules'], true, 'defaultSecurityRules', source);
  const rules = [...own, ...defaults].sort(byDirectionThenPriority);
  return armResource(arm, context, 'network.firewall', T.networkSecurityGroup, {
    rules,
    network: networkOf(properties),
  });
}
