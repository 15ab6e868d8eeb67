import { NormalizeError } from '@drift-detective/resource-model';
import { readRecord } from '../asset.js';
import { compareText, type JsonObject } from '../decode/values.js';
import { networkContextRecord, type NetworkContextRecord } from '../envelope/network-context.js';
import { firewallFacts, type FirewallFacts } from '../network-firewall.js';

/** The facts of a raw firewall record; null for another type or a record that cannot be read. */
export function readFirewallFacts(record: JsonObject, source: string): FirewallFacts | null {
  try {
    return firewallFacts(readRecord(record, source).asset);
  } catch (error) {
    // Reported where the record is judged, on its own page or message.
    if (error instanceof NormalizeError) return null;
    throw error;
  }
}

/**
 * The firewall rules of a sweep that may deny, held by network while the RESOURCE pages stream
 * past, so that each page's firewall rules are judged with the denies of their network's other
 * rules, wherever those fall in the listing (network-firewall.ts).
 */
export class HeldFirewalls {
  private readonly byNetwork = new Map<string, JsonObject[]>();

  constructor(records: readonly JsonObject[], source: string) {
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
   * other than the page's own (those it carries itself), in network then listing order.
   */
  contextFor(records: readonly JsonObject[], source: string): NetworkContextRecord[] {
    const names = new Set<string>();
    const networks = new Set<string>();
    for (const record of records) {
      const facts = readFirewallFacts(record, source);
      if (facts === null) continue;
      names.add(facts.name);
      if (facts.network !== null) networks.add(facts.network);
    }
    return [...networks]
      .sort(compareText)
      .flatMap((network) =>
        (this.byNetwork.get(network) ?? [])
          .filter((record) => !names.has(String(record['name'])))
          .map(networkContextRecord),
      );
  }
}
