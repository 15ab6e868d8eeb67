import type { FirewallRule, InventoryContext } from '@drift-detective/resource-model';
import { contextMap } from './context.js';
import { compareText } from './decode/values.js';

/*
 * The deny rules of a scan's (or a sweep page's, or an event's) firewall records, held by
 * network for the network's other rules: see collectFirewall in network-firewall.ts.
 */
const NETWORK_DENIES = 'gcp.networkDenyRules';

/** The deny rules of one firewall record, or 'unreadable' when it may hold some that cannot be read. */
export type HeldDenies = readonly FirewallRule[] | 'unreadable';

/** Network → firewall asset name → its deny rules. */
function networkDenies(context: InventoryContext): Map<string, Map<string, HeldDenies>> {
  return contextMap(context, NETWORK_DENIES);
}

/**
 * A firewall's `network` as one key whatever the spelling: the API writes a full URL
 * ("https://www.googleapis.com/compute/v1/projects/p/global/networks/default"), exports and
 * Terraform-made records sometimes the partial "projects/p/global/networks/default".
 * https://cloud.google.com/compute/docs/reference/rest/v1/firewalls (network)
 */
export function networkKey(network: string | null): string | null {
  if (network === null) return null;
  const match = /(?:^|\/)(projects\/[^/]+\/global\/networks\/[^/]+)$/.exec(network);
  return match?.[1] ?? network;
}

/** Holds a firewall record's deny rules under its network (the key networkKey gave). */
export function holdDenies(
  context: InventoryContext,
  network: string,
  assetName: string,
  held: HeldDenies,
): void {
  const byName = networkDenies(context).get(network) ?? new Map<string, HeldDenies>();
  byName.set(assetName, held);
  networkDenies(context).set(network, byName);
}

/**
 * The deny rules the network's other firewall records hold, in asset-name order (so a scan's
 * output does not depend on record order); null when one of them could not be read. A
 * firewall that names no network is judged on its own rules.
 */
export function networkDenyRules(
  assetName: string,
  network: string | null,
  context: InventoryContext,
): FirewallRule[] | null {
  const key = networkKey(network);
  const held = key === null ? undefined : networkDenies(context).get(key);
  if (held === undefined) return [];
  const rules: FirewallRule[] = [];
  const others = [...held].filter(([name]) => name !== assetName);
  for (const [, denies] of others.sort(([a], [b]) => compareText(a, b))) {
    if (denies === 'unreadable') return null;
    rules.push(...denies);
  }
  return rules;
}
