import { NormalizeError } from '@drift-detective/resource-model';
import { readRecord, type CaiAsset } from '../asset.js';
import { compareText, stringList, type JsonObject } from '../decode/values.js';
import { hierarchyTargets } from '../normalize/firewall-policy.js';
import { networkContextRecord, type NetworkContextRecord } from '../envelope/network-context.js';
import { firewallFacts, type FirewallFacts } from '../network-firewall.js';

/** The asset of a raw record; null for one that cannot be read (reported where it is judged). */
function assetOrNull(record: JsonObject, source: string): CaiAsset | null {
  try {
    return readRecord(record, source).asset;
  } catch (error) {
    if (error instanceof NormalizeError) return null;
    throw error;
  }
}

/** The organizations and folders a raw firewall policy record is associated with. */
export function policyNodes(record: JsonObject, source: string): string[] {
  const associations = assetOrNull(record, source)?.resource?.data?.['associations'];
  return Array.isArray(associations) ? hierarchyTargets(associations) : [];
}

/** The facts of a raw firewall record; null for another type or a record that cannot be read. */
export function readFirewallFacts(record: JsonObject, source: string): FirewallFacts | null {
  const asset = assetOrNull(record, source);
  return asset === null ? null : firewallFacts(asset);
}

/**
 * The firewall rules of a sweep that may deny, held by network, and the hierarchical firewall
 * policies, held by the node they are associated with, while the RESOURCE pages stream past,
 * so that each page's firewall rules are judged with the denies of their network's other rules
 * and the policies above them, wherever those fall in the listing (network-firewall.ts).
 */
export class HeldFirewalls {
  private readonly byNetwork = new Map<string, JsonObject[]>();
  private readonly byNode = new Map<string, JsonObject[]>();

  constructor(records: readonly JsonObject[], policies: readonly JsonObject[], source: string) {
    for (const policy of policies) {
      for (const node of policyNodes(policy, source)) {
        this.byNode.set(node, [...(this.byNode.get(node) ?? []), policy]);
      }
    }
    for (const record of records) {
      const facts = readFirewallFacts(record, source);
      if (facts === null || facts.network === null || !facts.mayDeny) continue;
      const held = this.byNetwork.get(facts.network) ?? [];
      held.push(record);
      this.byNetwork.set(facts.network, held);
    }
  }

  /**
   * Context for a page: the rules that may deny of the networks of the page's firewall rules,
   * other than the page's own (those it carries itself), in network then listing order, then
   * the firewall policies associated with their ancestors.
   */
  contextFor(records: readonly JsonObject[], source: string): NetworkContextRecord[] {
    const names = new Set<string>();
    const networks = new Set<string>();
    const nodes = new Set<string>();
    for (const record of records) {
      const facts = readFirewallFacts(record, source);
      if (facts === null) continue;
      names.add(facts.name);
      if (facts.network !== null) networks.add(facts.network);
      for (const ancestor of stringList(record['ancestors']) ?? []) nodes.add(ancestor);
    }
    const rules = [...networks]
      .sort(compareText)
      .flatMap((network) =>
        (this.byNetwork.get(network) ?? []).filter((record) => !names.has(String(record['name']))),
      );
    const policies = new Set(
      [...nodes].sort(compareText).flatMap((node) => this.byNode.get(node) ?? []),
    );
    return [...rules, ...policies].map(networkContextRecord);
  }
}
