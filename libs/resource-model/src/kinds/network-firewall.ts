import { z } from 'zod';
import { AddressSpan } from '../address-span.js';
import { PortRange } from '../common.js';

/** One rule, normalized. GCP allowed/denied lists become one rule per protocol entry. */
export const FirewallRule = z.object({
  name: z.string().nullable(),
  direction: z.enum(['ingress', 'egress']),
  /**
   * "next": a GCP hierarchical firewall policy's goto_next, which hands the traffic it matches
   * to the level below without deciding it.
   */
  action: z.enum(['allow', 'deny', 'next']),
  /**
   * Lower number wins (Azure NSG, GCP). null where all rules are allows without order
   * (AWS security groups). Azure default rules keep their 65000+ priorities.
   */
  priority: z.number().int().nullable(),
  /** Lower-case protocol: "all" (AWS -1, Azure *, GCP all), "tcp", "udp", "icmp", or the number. */
  protocol: z.string(),
  /** Destination ports; null means every port (no ports given, "*", -1 / all traffic). */
  ports: z.array(PortRange).nullable(),
  /**
   * Sources for ingress, destinations for egress, as CIDRs. The internet is "0.0.0.0/0"
   * and "::/0" (Azure "*", "Internet", "Any" and GCP's implicit default are rewritten to
   * them); security-group references, tags and service accounts are kept as "sg:<id>",
   * "tag:<name>", "serviceAccount:<email>", "service:<AzureTag>", "asg:<application security group id>".
   */
  peers: z.array(z.string()),
  /** The peers that are addresses or CIDRs, as numbers (addressSpans(peers)), so blocks add up. */
  peerSpans: z.array(AddressSpan),
  /** false for a GCP rule with disabled: true, which admits nothing. */
  enabled: z.boolean(),
  /** True for Azure's built-in defaultSecurityRules. */
  isDefault: z.boolean(),
  /**
   * The instances the rule applies to, where a rule may name them (GCP targetTags as
   * "tag:<t>", targetServiceAccounts as "serviceAccount:<e>"); an instance matches when it has
   * any of them. [] or absent: every instance the firewall covers (an AWS security group's and
   * an Azure NSG's rules apply to all their members).
   */
  targets: z.array(z.string()).optional(),
});
export type FirewallRule = z.infer<typeof FirewallRule>;

/**
 * The rules of one level of GCP's firewall policy hierarchy (the organization, then each folder
 * down to the project), in the policy's priority order: an allow or a deny decides the traffic
 * it matches, a goto_next ("next") hands it to the level below, and what no level decides goes
 * on to the network's own rules.
 * https://cloud.google.com/firewall/docs/firewall-policies-rule-evaluation
 */
export const FirewallPolicyLevel = z.object({
  /** The hierarchy node the policy is associated with: "organizations/…", "folders/…". */
  node: z.string(),
  /** The firewall policy's resource name. */
  policy: z.string(),
  rules: z.array(FirewallRule),
});
export type FirewallPolicyLevel = z.infer<typeof FirewallPolicyLevel>;

/** network.firewall — AWS security group, Azure NSG, GCP firewall rule (one rule object each). */
export const NetworkFirewallProperties = z.object({
  rules: z.array(FirewallRule),
  /** VPC / VNet / network the firewall belongs to, when reported. */
  network: z.string().nullable(),
  /**
   * The deny rules other resources hold for the same network, which apply in one priority
   * order with these: GCP VPC firewall rules are one record each, and a higher-priority deny in
   * another record shadows an allow here (https://cloud.google.com/firewall/docs/firewalls#priority_order_for_firewall_rules).
   * Only denies: an allow elsewhere never narrows what these rules admit. null: the network
   * holds a rule that could not be read, so what reaches these rules is unknown. Absent: the
   * resource holds all its rules (AWS security groups, Azure NSGs).
   */
  networkDenyRules: z.array(FirewallRule).nullable().optional(),
  /**
   * GCP: the hierarchical firewall policies above the rule's project, organization first, with
   * only the rules that apply to its network; they are evaluated before any rule of the network.
   * [] or absent: none in the inventory. null: one of them could not be read.
   */
  policyLevels: z.array(FirewallPolicyLevel).nullable().optional(),
  /**
   * AWS: the VPC's default security group (groupName "default"), which every instance launched
   * without a group joins, so CIS wants it to admit nothing. Absent where a cloud has no such
   * group (Azure NSGs, GCP firewall rules).
   */
  defaultGroup: z.boolean().nullable().optional(),
});
export type NetworkFirewallProperties = z.infer<typeof NetworkFirewallProperties>;
