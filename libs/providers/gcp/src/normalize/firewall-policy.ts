import { NormalizeError, type FirewallRule } from '@drift-detective/resource-model';
import { toCidr } from '../decode/net.js';
import { isObject, sortedUnique, text, type JsonObject } from '../decode/values.js';
import { networkKey } from '../network-denies.js';
import {
  entryRule,
  readDirection,
  readDisabled,
  readPriority,
  strings,
  type Fail,
} from './compute-firewall.js';

const POLICY_DOC = 'https://cloud.google.com/compute/docs/reference/rest/v1/firewallPolicies';

/** A hierarchical firewall policy: the nodes it is associated with, and its rules. */
export interface FirewallPolicyFacts {
  /** "organizations/…" and "folders/…" of its associations (a network's are not hierarchy). */
  readonly nodes: string[];
  readonly rules: FirewallRule[];
}

/**
 * compute.googleapis.com/FirewallPolicy (hierarchical and network firewall policies share the
 * type): its associations' attachmentTarget, and one FirewallRule per layer4Configs entry of
 * each rule. action allow / deny / goto_next ("next"); apply_security_profile_group admits the
 * traffic to inspect it, so it counts as an allow. Sources: match.srcIpRanges as CIDRs, the
 * other matchers labelled ("fqdn:", "region:", "threatIntelligence:", "addressGroup:",
 * "secureTag:"); targets: targetResources as "network:<network>" (the rule applies only in
 * those networks), targetServiceAccounts, targetSecureTags.
 * https://cloud.google.com/compute/docs/reference/rest/v1/firewallPolicies
 * https://cloud.google.com/firewall/docs/firewall-policies-rule-details
 * Throws NormalizeError on a rule it cannot read: a missing deny could open a port.
 */
export function readFirewallPolicy(
  assetName: string,
  data: JsonObject | null,
  source: string,
): FirewallPolicyFacts {
  const fail: Fail = (reason) => {
    throw new NormalizeError(source, `firewall policy ${assetName}: ${reason}`);
  };
  if (data === null) return fail('the record carries no resource data');
  const associations = data['associations'] ?? [];
  if (!Array.isArray(associations)) return fail('associations is not a list');
  const nodes = hierarchyTargets(associations);
  const rules = data['rules'] ?? [];
  if (!Array.isArray(rules)) return fail('rules is not a list');
  return { nodes: sortedUnique(nodes), rules: rules.flatMap((rule) => readPolicyRule(rule, fail)) };
}

/** The organizations and folders among associations' attachmentTarget (a network's are not hierarchy). */
export function hierarchyTargets(associations: readonly unknown[]): string[] {
  return associations.flatMap((association) => {
    const target = isObject(association) ? text(association['attachmentTarget']) : null;
    return target !== null && /^(organizations|folders)\/[^/]+$/.test(target) ? [target] : [];
  });
}

const ACTIONS: Record<string, FirewallRule['action']> = {
  allow: 'allow',
  deny: 'deny',
  goto_next: 'next',
  apply_security_profile_group: 'allow',
};

function readPolicyRule(rule: unknown, fail: Fail): FirewallRule[] {
  if (!isObject(rule)) return fail('a rule is not an object');
  const action = ACTIONS[text(rule['action']) ?? ''];
  if (action === undefined) {
    return fail(
      `action ${JSON.stringify(rule['action'])} is none of allow, deny, goto_next (${POLICY_DOC})`,
    );
  }
  const match = rule['match'];
  if (!isObject(match)) return fail('a rule has no match');
  const direction = readDirection(rule, fail);
  const priority = readPriority(rule, fail);
  const enabled = !readDisabled(rule, fail);
  const peers = readMatchPeers(match, direction, fail);
  const targets = sortedUnique([
    ...strings(rule, 'targetResources', fail).map((network) => `network:${networkKey(network)}`),
    ...strings(rule, 'targetServiceAccounts', fail).map((account) => `serviceAccount:${account}`),
    ...secureTags(rule['targetSecureTags'], fail),
  ]);
  const layer4 = match['layer4Configs'];
  if (!Array.isArray(layer4) || layer4.length === 0)
    return fail('match.layer4Configs lists no protocol');
  const name = text(rule['ruleName']);
  return layer4.map((entry) =>
    entryRule({ name, direction, action, priority, peers, enabled, targets }, entry, fail),
  );
}

/** Sources of an INGRESS rule, destinations of an EGRESS one (the matcher's src… / dest… fields). */
function readMatchPeers(
  match: JsonObject,
  direction: FirewallRule['direction'],
  fail: Fail,
): string[] {
  const side = direction === 'ingress' ? 'src' : 'dest';
  const cidrs = strings(match, `${side}IpRanges`, fail).map(
    (value) => toCidr(value) ?? fail(`${JSON.stringify(value)} is not an address or CIDR`),
  );
  const labelled = (field: string, label: string) =>
    strings(match, `${side}${field}`, fail).map((value) => `${label}:${value}`);
  return sortedUnique([
    ...cidrs,
    ...labelled('Fqdns', 'fqdn'),
    ...labelled('RegionCodes', 'region'),
    ...labelled('ThreatIntelligences', 'threatIntelligence'),
    ...labelled('AddressGroups', 'addressGroup'),
    ...(direction === 'ingress' ? secureTags(match['srcSecureTags'], fail) : []),
  ]);
}

/** [{name: "tagValues/123", state}] → "secureTag:tagValues/123". */
function secureTags(value: unknown, fail: Fail): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail('secure tags are not a list');
  return value.map((tag) => {
    const name = isObject(tag) ? text(tag['name']) : null;
    return name === null ? fail('a secure tag has no name') : `secureTag:${name}`;
  });
}
