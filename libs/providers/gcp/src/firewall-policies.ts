import type {
  FirewallPolicyLevel,
  FirewallRule,
  InventoryContext,
} from '@drift-detective/resource-model';
import { contextMap } from './context.js';
import { compareText } from './decode/values.js';
import { networkKey } from './network-denies.js';

/*
 * The hierarchical firewall policies of a scan (or a sweep page, or an event), held by the
 * node they are associated with, for the VPC firewall rules below that node: see
 * collectFirewall in network-firewall.ts.
 */
const FIREWALL_POLICIES = 'gcp.firewallPolicies';

/** One policy associated with a node: its rules, or 'unreadable'. */
interface HeldPolicy {
  readonly policy: string;
  readonly rules: readonly FirewallRule[] | 'unreadable';
}

function heldPolicies(context: InventoryContext): Map<string, Map<string, HeldPolicy>> {
  return contextMap(context, FIREWALL_POLICIES);
}

/** Holds a policy's rules under a node it is associated with ("organizations/…", "folders/…"). */
export function holdFirewallPolicy(
  context: InventoryContext,
  node: string,
  policy: string,
  rules: readonly FirewallRule[] | 'unreadable',
): void {
  const byPolicy = heldPolicies(context).get(node) ?? new Map<string, HeldPolicy>();
  byPolicy.set(policy, { policy, rules });
  heldPolicies(context).set(node, byPolicy);
}

/**
 * The policy levels above a firewall rule: its ancestors' associated policies, organization
 * first, then each folder down towards the project (the order they are evaluated in:
 * https://cloud.google.com/firewall/docs/firewall-policies-rule-evaluation), each with the rules
 * that apply in the rule's network: a rule naming targetResources applies only in those
 * networks, and there to every instance, so its network targets are dropped. null when one of
 * them could not be read, or when the rule's ancestors are unknown while the inventory holds
 * policies (which of them apply is then unknown).
 */
export function policyLevels(
  ancestors: readonly string[] | null,
  network: string | null,
  context: InventoryContext,
): FirewallPolicyLevel[] | null {
  const held = heldPolicies(context);
  if (ancestors === null) return held.size === 0 ? [] : null;
  const key = networkKey(network);
  const levels: FirewallPolicyLevel[] = [];
  for (const node of [...ancestors].reverse()) {
    const policies = [...(held.get(node)?.values() ?? [])].sort((a, b) =>
      compareText(a.policy, b.policy),
    );
    for (const { policy, rules } of policies) {
      if (rules === 'unreadable') return null;
      levels.push({ node, policy, rules: rules.flatMap((rule) => inNetwork(rule, key)) });
    }
  }
  return levels;
}

function inNetwork(rule: FirewallRule, network: string | null): FirewallRule[] {
  const targets = rule.targets ?? [];
  const networks = targets.filter((target) => target.startsWith('network:'));
  if (networks.length === 0) return [rule];
  if (network === null || !networks.includes(`network:${network}`)) return [];
  return [{ ...rule, targets: targets.filter((target) => !target.startsWith('network:')) }];
}
