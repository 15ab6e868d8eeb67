import { NormalizeError, type InventoryContext } from '@drift-detective/resource-model';
import type { CaiAsset } from './asset.js';
import { text, type JsonObject } from './decode/values.js';
import { holdDenies, networkKey, type HeldDenies } from './network-denies.js';
import { holdFirewallPolicy } from './firewall-policies.js';
import { readFirewallRules } from './normalize/compute-firewall.js';
import { hierarchyTargets, readFirewallPolicy } from './normalize/firewall-policy.js';

export const FIREWALL_TYPE = 'compute.googleapis.com/Firewall';

/** Hierarchical (and network) firewall policies share one asset type. */
export const FIREWALL_POLICY_TYPE = 'compute.googleapis.com/FirewallPolicy';

/**
 * First pass: the deny rules of a firewall record, under its network. VPC firewall rules are
 * one record each, yet a network's rules apply together in priority order: a deny held by one
 * record shadows an allow held by another
 * (https://cloud.google.com/firewall/docs/firewalls#priority_order_for_firewall_rules).
 * A record whose rules cannot be read (normalize reports it) and that may be a deny makes the
 * network's rules unknown: left out, it could be the deny that closes a port.
 */
export function collectFirewall(asset: CaiAsset, source: string, context: InventoryContext): void {
  const data = asset.resource?.data ?? null;
  if (asset.assetType === FIREWALL_POLICY_TYPE) {
    collectFirewallPolicy(asset, source, context);
    return;
  }
  if (asset.assetType !== FIREWALL_TYPE || data === null) return;
  const network = networkKey(text(data['network']));
  if (network === null) return;
  let held: HeldDenies;
  try {
    held = readFirewallRules(asset.name, data, source).rules.filter(
      (rule) => rule.action === 'deny',
    );
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    held = plainlyAllowsOnly(data) ? [] : 'unreadable';
  }
  holdDenies(context, network, asset.name, held);
}

/**
 * First pass: a hierarchical firewall policy's rules, under each organization or folder it is
 * associated with. One whose rules cannot be read makes those nodes' policies unknown.
 */
function collectFirewallPolicy(asset: CaiAsset, source: string, context: InventoryContext): void {
  const data = asset.resource?.data ?? null;
  try {
    const { nodes, rules } = readFirewallPolicy(asset.name, data, source);
    for (const node of nodes) holdFirewallPolicy(context, node, asset.name, rules);
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    for (const node of associatedNodes(data)) {
      holdFirewallPolicy(context, node, asset.name, 'unreadable');
    }
  }
}

/** The hierarchy nodes a policy names, as far as they can be read. */
function associatedNodes(data: JsonObject | null): string[] {
  const associations = data?.['associations'];
  return Array.isArray(associations) ? hierarchyTargets(associations) : [];
}

/** A rule lists protocols under `allowed` and nothing under `denied`: it denies nothing. */
function plainlyAllowsOnly(data: JsonObject): boolean {
  const { allowed, denied } = data;
  const none =
    denied === undefined || denied === null || (Array.isArray(denied) && denied.length === 0);
  return Array.isArray(allowed) && allowed.length > 0 && none;
}

/** What the readers need of a firewall record to send its network's rules beside it. */
export interface FirewallFacts {
  readonly name: string;
  /** networkKey of its network; null when the record names none. */
  readonly network: string | null;
  /** Whether it may hold deny rules (all but a rule that plainly allows only). */
  readonly mayDeny: boolean;
}

/** The facts of a firewall asset; null for any other asset type. */
export function firewallFacts(asset: CaiAsset): FirewallFacts | null {
  if (asset.assetType !== FIREWALL_TYPE) return null;
  const data = asset.resource?.data ?? null;
  return {
    name: asset.name,
    network: data === null ? null : networkKey(text(data['network'])),
    mayDeny: data === null || !plainlyAllowsOnly(data),
  };
}
