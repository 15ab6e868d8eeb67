import { NormalizeError } from '@drift-detective/resource-model';
import type { AssetRecord } from '../asset.js';
import { policyNodes, readFirewallFacts } from '../asset-api/held-firewalls.js';
import type { JsonObject } from '../decode/values.js';
import { networkContextRecord, type NetworkContextRecord } from '../envelope/network-context.js';
import {
  FIREWALL_POLICY_TYPE,
  FIREWALL_TYPE,
  firewallFacts,
  type FirewallFacts,
} from '../network-firewall.js';
import { laterOf } from './as-of.js';

/**
 * What a firewall rule's feed message needs beside it: the other rules of its network as of
 * the message time, since a network's rules apply together in priority order
 * (https://cloud.google.com/firewall/docs/firewalls#priority_order_for_firewall_rules). A sweep
 * judges each rule with its network's denies; a message must judge alike:
 * - a change that cannot touch the network's denies (an allow that was an allow before, or is
 *   new) is judged with the denies of the others, sent as context only;
 * - a change that may touch them (the rule denies now, denied before, was deleted, or its
 *   prior state is unknown) re-judges every other rule of its network, so that removing a deny
 *   reports the allows it shadowed and adding one resolves them. Their updateTime is raised to
 *   the message time when earlier, so that an older message delivered late (Pub/Sub delivers
 *   out of order: https://cloud.google.com/pubsub/docs/ordering) cannot override the verdict
 *   of a newer one (the pipeline's staleness check compares observedAt per resource).
 * A rule whose network cannot be read re-judges every firewall rule of its project. The
 * hierarchical firewall policies associated with the rule's ancestors that `hierarchyParent`
 * covers (what a sweep under it reads) come as context too.
 * Empty for any other asset type.
 */
export async function networkRecords(
  record: AssetRecord,
  at: string | null,
  source: string,
  list: (parent: string, assetType: string) => Promise<JsonObject[]>,
  hierarchyParent: string,
): Promise<(JsonObject | NetworkContextRecord)[]> {
  const { asset } = record;
  if (asset.assetType !== FIREWALL_TYPE) return [];
  const project = /^\/\/compute\.googleapis\.com\/(projects\/[^/]+)\//.exec(asset.name)?.[1];
  if (project === undefined) {
    throw new NormalizeError(source, `firewall ${asset.name}: the name holds no project`);
  }
  // The state before the change, and the message's own (a deletion's last state, if given).
  const states = [
    firewallFacts(asset),
    ...(record.prior?.asset ? [firewallFacts(record.prior.asset)] : []),
  ].filter((facts): facts is FirewallFacts => facts !== null);
  const networks = new Set(
    states.flatMap((facts) => (facts.network === null ? [] : [facts.network])),
  );
  const priorKnown =
    record.prior !== null &&
    (record.prior.state === 'DOES_NOT_EXIST' ||
      (record.prior.state === 'PRESENT' && record.prior.asset !== null));
  const touchesDenies = record.deleted || !priorKnown || states.some((facts) => facts.mayDeny);

  const others = (await list(project, FIREWALL_TYPE)).flatMap((other) => {
    const facts = readFirewallFacts(other, source);
    if (facts === null || facts.name === asset.name) return [];
    if (networks.size > 0 && (facts.network === null || !networks.has(facts.network))) return [];
    return [{ other, facts }];
  });
  const judged = touchesDenies
    ? others.map(({ other }): JsonObject => {
        const time = laterOf(other['updateTime'], at);
        return time === null ? other : { ...other, updateTime: time };
      })
    : others.filter(({ facts }) => facts.mayDeny).map(({ other }) => networkContextRecord(other));
  const ancestors = asset.ancestors ?? record.prior?.asset?.ancestors ?? [];
  const policies = (await list(hierarchyParent, FIREWALL_POLICY_TYPE)).filter((policy) =>
    policyNodes(policy, source).some((node) => ancestors.includes(node)),
  );
  return [...judged, ...policies.map(networkContextRecord)];
}
