import { NormalizeError, type InventoryContext } from '@drift-detective/resource-model';
import type { CaiAsset } from './asset.js';
import { text, type JsonObject } from './decode/values.js';
import { holdDenies, networkKey, type HeldDenies } from './network-denies.js';
import { readFirewallRules } from './normalize/compute-firewall.js';

export const FIREWALL_TYPE = 'compute.googleapis.com/Firewall';

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

/** A rule lists protocols under `allowed` and nothing under `denied`: it denies nothing. */
function plainlyAllowsOnly(data: JsonObject): boolean {
  const { allowed, denied } = data;
  const none =
    denied === undefined || denied === null || (Array.isArray(denied) && denied.length === 0);
  return Array.isArray(allowed) && allowed.length > 0 && none;
}
