import {
  addressSpans,
  NormalizeError,
  type FirewallRule,
  type NetworkFirewallProperties,
  type PortRange,
} from '@drift-detective/resource-model';
import { toCidr, toPortRange } from '../decode/net.js';
import { isObject, pick, sortedUnique, text, type JsonObject } from '../decode/values.js';
import { policyLevels } from '../firewall-policies.js';
import { networkDenyRules } from '../network-denies.js';
import type { NormalizerInput } from './input.js';

const FIREWALL_DOC = 'https://cloud.google.com/compute/docs/reference/rest/v1/firewalls';

/** The implicit internet source / destination of a rule that names none. */
const ANY_IPV4 = '0.0.0.0/0';

/**
 * compute.googleapis.com/Firewall → network.firewall: one FirewallRule per entry of `allowed`
 * (action allow) or `denied` (action deny), in the order given, with the deny rules the other
 * firewall rules of its VPC network hold (network-firewall.ts): the network's rules apply in
 * one priority order.
 * https://cloud.google.com/compute/docs/reference/rest/v1/firewalls
 *
 * A rule list cannot say "unknown", so a firewall whose rules cannot be read throws
 * NormalizeError: an unreadable entry silently dropped could hide port 22 open to the world.
 */
export function normalizeComputeFirewall(input: NormalizerInput): NetworkFirewallProperties {
  const own = readFirewallRules(input.asset.name, input.data, input.source);
  return {
    ...own,
    networkDenyRules: networkDenyRules(input.asset.name, own.network, input.context),
    policyLevels: policyLevels(input.asset.ancestors, own.network, input.context),
  };
}

/** The rules of one firewall record, and its network; throws NormalizeError. */
export function readFirewallRules(
  assetName: string,
  data: JsonObject | null,
  source: string,
): { rules: FirewallRule[]; network: string | null } {
  const fail = (reason: string): never => {
    throw new NormalizeError(source, `firewall ${assetName}: ${reason}`);
  };
  if (data === null) return fail('the record carries no resource data');

  const allowed = data['allowed'];
  const denied = data['denied'];
  const hasAllowed = Array.isArray(allowed) && allowed.length > 0;
  const hasDenied = Array.isArray(denied) && denied.length > 0;
  if (
    (allowed !== undefined && !Array.isArray(allowed)) ||
    (denied !== undefined && !Array.isArray(denied))
  ) {
    return fail('allowed/denied is not a list');
  }
  // The API requires one of them; a record with neither was trimmed and says nothing.
  if (!hasAllowed && !hasDenied) return fail('neither allowed nor denied lists a protocol');

  const direction = readDirection(data, fail);
  const name = text(data['name']);
  const priority = readPriority(data, fail);
  const peers = readPeers(data, direction, fail);
  const enabled = !readDisabled(data, fail);
  const targets = readTargets(data, fail);
  const rules: FirewallRule[] = [];
  for (const [action, entries] of [
    ['allow', hasAllowed ? allowed : []],
    ['deny', hasDenied ? denied : []],
  ] as const) {
    for (const entry of entries as unknown[]) {
      rules.push(
        entryRule({ name, direction, action, priority, peers, enabled, targets }, entry, fail),
      );
    }
  }
  return { rules, network: text(data['network']) };
}

export type Fail = (reason: string) => never;

/** What a GCP rule's protocol entries share: one FirewallRule is made of each entry. */
export type RuleFields = Pick<
  FirewallRule,
  'name' | 'direction' | 'action' | 'priority' | 'peers' | 'enabled' | 'targets'
>;

/** The FirewallRule of one protocol entry ({IPProtocol, ports}) of a rule. */
export function entryRule(fields: RuleFields, entry: unknown, fail: Fail): FirewallRule {
  const { protocol, ports } = readEntry(entry, fail);
  return {
    ...fields,
    protocol,
    ports,
    peers: [...fields.peers],
    peerSpans: addressSpans(fields.peers),
    isDefault: false,
    targets: [...(fields.targets ?? [])],
  };
}

/** direction: "INGRESS" | "EGRESS"; the API default when unset is INGRESS. */
export function readDirection(data: JsonObject, fail: Fail): FirewallRule['direction'] {
  const direction = data['direction'];
  if (direction === undefined || direction === null || direction === 'INGRESS') return 'ingress';
  if (direction === 'EGRESS') return 'egress';
  return fail(
    `direction ${JSON.stringify(direction)} is neither INGRESS nor EGRESS (${FIREWALL_DOC})`,
  );
}

/** priority: 0–65535, "The default value is 1000." (firewalls resource doc). */
export function readPriority(data: JsonObject, fail: Fail): number {
  const priority = data['priority'];
  if (priority === undefined || priority === null) return 1000;
  if (typeof priority === 'number' && Number.isSafeInteger(priority)) return priority;
  return fail('priority is not an integer');
}

/** disabled: true means the rule is not enforced; absent means false (firewalls resource doc). */
export function readDisabled(data: JsonObject, fail: Fail): boolean {
  const disabled = data['disabled'];
  if (disabled === undefined || disabled === null) return false;
  if (typeof disabled === 'boolean') return disabled;
  return fail('disabled is not a boolean');
}

/**
 * One allowed/denied entry. The protocol key is `IPProtocol`; Forseti-style CAI exports also
 * carry the duplicate spelling `ipProtocol`. Protocols are lower-cased ("all" stays "all");
 * numbers stay numbers. Missing `ports` means every port.
 */
function readEntry(entry: unknown, fail: Fail): { protocol: string; ports: PortRange[] | null } {
  if (!isObject(entry)) return fail('an allowed/denied entry is not an object');
  const protocol = text(pick(entry, 'IPProtocol', 'ipProtocol'));
  if (protocol === null) return fail('an allowed/denied entry has no IPProtocol');
  const ports = entry['ports'];
  // proto3 JSON omits an empty list: [] and absent both mean "any port".
  if (ports === undefined || ports === null || (Array.isArray(ports) && ports.length === 0)) {
    return { protocol: protocol.toLowerCase(), ports: null };
  }
  if (!Array.isArray(ports)) return fail('ports is not a list');
  const ranges = ports.map(
    (port) => toPortRange(port) ?? fail(`port ${JSON.stringify(port)} is not a port or range`),
  );
  return { protocol: protocol.toLowerCase(), ports: ranges };
}

/**
 * The instances a rule applies to: targetTags as "tag:<t>", targetServiceAccounts as
 * "serviceAccount:<e>"; none means every instance of the network (firewalls resource doc,
 * targetTags: "If no targetTags are specified, the firewall rule applies to all instances on
 * the specified network").
 */
function readTargets(data: JsonObject, fail: Fail): string[] {
  return sortedUnique([
    ...strings(data, 'targetTags', fail).map((tag) => `tag:${tag}`),
    ...strings(data, 'targetServiceAccounts', fail).map((account) => `serviceAccount:${account}`),
  ]);
}

export function strings(data: JsonObject, key: string, fail: Fail): string[] {
  const value = data[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    return fail(`${key} is not a list of strings`);
  }
  return value;
}

/**
 * Sources of an INGRESS rule: sourceRanges (and the Forseti duplicate `sourceRange`) as CIDRs,
 * sourceTags as "tag:<t>", sourceServiceAccounts as "serviceAccount:<e>". An ingress rule that
 * names no source at all applies to every IPv4 source, 0.0.0.0/0 (VPC firewall rules, "Sources
 * for ingress rules"; the behaviour behind https://github.com/hashicorp/terraform-provider-google/issues/6789).
 * Destinations of an EGRESS rule: destinationRanges; none means 0.0.0.0/0 as well (same page,
 * "Destinations for egress rules").
 * https://cloud.google.com/firewall/docs/firewalls
 */
function readPeers(data: JsonObject, direction: FirewallRule['direction'], fail: Fail): string[] {
  const list = (key: string): string[] => strings(data, key, fail);
  const cidrs = (values: string[]): string[] =>
    values.map(
      (value) => toCidr(value) ?? fail(`${JSON.stringify(value)} is not an address or CIDR`),
    );

  if (direction === 'egress') {
    const destinations = cidrs(list('destinationRanges'));
    return destinations.length > 0 ? sortedUnique(destinations) : [ANY_IPV4];
  }
  const peers = [
    ...cidrs([...list('sourceRanges'), ...list('sourceRange')]),
    ...list('sourceTags').map((tag) => `tag:${tag}`),
    ...list('sourceServiceAccounts').map((account) => `serviceAccount:${account}`),
  ];
  return peers.length > 0 ? sortedUnique(peers) : [ANY_IPV4];
}
