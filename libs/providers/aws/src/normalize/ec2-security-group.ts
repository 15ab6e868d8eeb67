import {
  addressSpans,
  NormalizeError,
  type FirewallRule,
  type PortRange,
} from '@drift-detective/resource-model';
import { regionalArn } from '../decode/arn.js';
import {
  compareStrings,
  has,
  isRecord,
  nonEmptyString,
  own,
  type JsonObject,
} from '../decode/values.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::EC2::SecurityGroup → network.firewall: one rule per IP permission,
 * ingress (ipPermissions) and egress (ipPermissionsEgress). Security groups
 * only allow, in no order: priority null, action allow.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
 */
export const ec2SecurityGroup: TypeNormalizer<'network.firewall'> = {
  kind: 'network.firewall',

  // arn:aws:ec2:region:account:security-group/sg-…
  arn: ({ configuration, region, account, resourceId }) =>
    regionalArn(
      'ec2',
      region,
      account,
      `security-group/${nonEmptyString(own(configuration, 'groupId')) ?? resourceId ?? ''}`,
    ),

  account: (configuration) => nonEmptyString(own(configuration, 'ownerId')),
  name: (configuration) =>
    nonEmptyString(own(configuration, 'groupName')) ??
    nonEmptyString(own(configuration, 'groupId')),

  properties({ configuration, source }) {
    const fail = (problem: string): never => {
      throw new NormalizeError(source, `security group ${problem}`);
    };
    const ingress = own(configuration, 'ipPermissions');
    if (!Array.isArray(ingress)) return fail('has no ipPermissions list: its ingress is unknown');
    const egress = own(configuration, 'ipPermissionsEgress') ?? [];
    if (!Array.isArray(egress)) return fail('ipPermissionsEgress is not a list');
    const rules = [
      ...ingress.map((p, i) => permissionRule(p, 'ingress', `ipPermissions[${i}]`, fail)),
      ...egress.map((p, i) => permissionRule(p, 'egress', `ipPermissionsEgress[${i}]`, fail)),
    ].sort(compareRules);
    return {
      rules,
      network: nonEmptyString(own(configuration, 'vpcId')),
      defaultGroup: defaultGroup(configuration, rules.length > 0),
    };
  },
};

/**
 * Every VPC has one security group named "default", which cannot be deleted and which an
 * instance joins when launched without a group
 * (https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html). A default
 * group whose item lacks the egress list and holds no ingress rule may still admit traffic the
 * item does not show: unknown, so an empty rule list is never taken for "restricts all".
 */
function defaultGroup(configuration: JsonObject, hasRules: boolean): boolean | null {
  const name = nonEmptyString(own(configuration, 'groupName'));
  if (name === null) return null;
  if (name !== 'default') return false;
  return hasRules || has(configuration, 'ipPermissionsEgress') ? true : null;
}

type Fail = (problem: string) => never;

function permissionRule(
  permission: unknown,
  direction: 'ingress' | 'egress',
  where: string,
  fail: Fail,
): FirewallRule {
  if (!isRecord(permission)) return fail(`${where} is not an object`);
  const protocol = protocolOf(own(permission, 'ipProtocol'));
  if (protocol === null) return fail(`${where}.ipProtocol is unreadable`);
  const peers = peersOf(permission, where, fail);
  return {
    name: null,
    direction,
    action: 'allow',
    priority: null,
    protocol,
    ports: portsOf(permission, protocol, where, fail),
    peers,
    peerSpans: addressSpans(peers),
    enabled: true,
    isDefault: false,
  };
}

/**
 * "-1" is all traffic; names come lower-case ("tcp"), other protocols as their
 * number in text ("50"). Config always writes text: anything else is unreadable.
 */
function protocolOf(value: unknown): string | null {
  const text = nonEmptyString(value);
  if (text === null) return null;
  return text === '-1' ? 'all' : text.toLowerCase();
}

/**
 * tcp/udp port range from fromPort/toPort. SelectResourceConfig rows write them
 * as floats (22.0), which JSON reads as the integer they are
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_SelectResourceConfig.html).
 * All traffic, ICMP and other protocols have no ports (their fromPort/toPort
 * are ICMP type/code or -1): null, every port.
 */
function portsOf(
  permission: JsonObject,
  protocol: string,
  where: string,
  fail: Fail,
): PortRange[] | null {
  if (!['tcp', 'udp', '6', '17'].includes(protocol)) return null;
  const from = own(permission, 'fromPort');
  const to = own(permission, 'toPort');
  if (!isPort(from) || !isPort(to) || from > to) {
    return fail(`${where}: ${protocol} without a readable fromPort/toPort range`);
  }
  return [{ from, to }];
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

/**
 * Sources (ingress) or destinations (egress). Config repeats each IPv4 range in
 * the old `ipRanges` (strings) and `ipv4Ranges` ({cidrIp}); items from before
 * 2017 have only `ipRanges` (and no `ipv6Ranges`). Both are read and
 * de-duplicated; without either the permission's IPv4 peers are unknown.
 * (AWS Config resource schema for AWS::EC2::SecurityGroup:
 * https://github.com/awslabs/aws-config-resource-schema/blob/master/config/properties/resource-types/AWS%3A%3AEC2%3A%3ASecurityGroup.properties.json) Prefix lists become "pl:<id>",
 * referenced groups "sg:<groupId>".
 */
function peersOf(permission: JsonObject, where: string, fail: Fail): string[] {
  if (!has(permission, 'ipRanges') && !has(permission, 'ipv4Ranges')) {
    return fail(`${where} has neither ipRanges nor ipv4Ranges`);
  }
  // ipv4Ranges and ipv6Ranges came together (December 2016): an item with the
  // first and without the second has lost its IPv6 peers.
  if (has(permission, 'ipv4Ranges') && !has(permission, 'ipv6Ranges')) {
    return fail(`${where} has ipv4Ranges but no ipv6Ranges: its IPv6 peers are unknown`);
  }
  const peers = new Set<string>();
  const each = (key: string, read: (entry: unknown) => string | null) => {
    if (!has(permission, key)) return;
    const list = own(permission, key);
    if (!Array.isArray(list)) fail(`${where}.${key} is not a list`);
    for (const entry of list as unknown[]) {
      const peer = read(entry);
      if (peer === null) fail(`${where}.${key} holds an unreadable entry`);
      else peers.add(peer);
    }
  };
  // ipRanges holds strings in Config items ({cidrIp} in the EC2 API); the others hold objects.
  const inObject = (entry: unknown, key: string) =>
    isRecord(entry) ? cidrOf(own(entry, key)) : null;
  each('ipRanges', (entry) =>
    typeof entry === 'string' ? cidrOf(entry) : inObject(entry, 'cidrIp'),
  );
  each('ipv4Ranges', (entry) => inObject(entry, 'cidrIp'));
  each('ipv6Ranges', (entry) => inObject(entry, 'cidrIpv6'));
  each('prefixListIds', (entry) => {
    const id = isRecord(entry) ? nonEmptyString(own(entry, 'prefixListId')) : nonEmptyString(entry);
    return id === null ? null : `pl:${id}`;
  });
  each('userIdGroupPairs', (entry) => {
    if (!isRecord(entry)) return null;
    const id = nonEmptyString(own(entry, 'groupId')) ?? nonEmptyString(own(entry, 'groupName'));
    return id === null ? null : `sg:${id}`;
  });
  return [...peers].sort(compareStrings);
}

const IPV4_CIDR = /^\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/;
const IPV6_CIDR = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:\/\d{1,3})?$/;

/** An IPv4 or IPv6 CIDR; a bare address is a single host (/32, /128). Anything else is unreadable. */
function cidrOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (IPV4_CIDR.test(value)) return value.includes('/') ? value : `${value}/32`;
  if (IPV6_CIDR.test(value)) return value.includes('/') ? value : `${value}/128`;
  return null;
}

/** Security group rules have no order; sort them so the output is stable. */
function compareRules(a: FirewallRule, b: FirewallRule): number {
  return compareStrings(ruleKey(a), ruleKey(b));
}

function ruleKey(rule: FirewallRule): string {
  return JSON.stringify([rule.direction, rule.protocol, rule.ports, rule.peers]);
}
