import type { FirewallRule } from '@drift-detective/resource-model';
import { assertValidResource, firewallRule } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { exposingRules } from './catalog-rules.js';
import { cassetteBodies, must, native, ofKind, only, scan, scanOne } from './helpers.js';

const INTERNET = ['0.0.0.0/0', '::/0'];

const rule = (partial: Partial<FirewallRule> & Pick<FirewallRule, 'name'>) =>
  firewallRule({ peers: INTERNET, ...partial });

const DEFAULT_INBOUND = [
  rule({
    name: 'AllowVnetInBound',
    priority: 65000,
    peers: ['service:VirtualNetwork'],
    isDefault: true,
  }),
  rule({
    name: 'AllowAzureLoadBalancerInBound',
    priority: 65001,
    peers: ['service:AzureLoadBalancer'],
    isDefault: true,
  }),
  rule({ name: 'DenyAllInBound', priority: 65500, action: 'deny', isDefault: true }),
];
const DEFAULT_OUTBOUND = [
  rule({
    name: 'AllowVnetOutBound',
    direction: 'egress',
    priority: 65000,
    peers: ['service:VirtualNetwork'],
    isDefault: true,
  }),
  rule({ name: 'AllowInternetOutBound', direction: 'egress', priority: 65001, isDefault: true }),
  rule({
    name: 'DenyAllOutBound',
    direction: 'egress',
    priority: 65500,
    action: 'deny',
    isDefault: true,
  }),
];

function firewall(result: ReturnType<typeof scanOne>, name?: string) {
  const resource = ofKind(only(result, name), 'network.firewall');
  assertValidResource(resource);
  return resource;
}

describe('Microsoft.Network/networkSecurityGroups', () => {
  const recorded = scan(cassetteBodies('azure/cassette-nsg-list.json'));

  it.each([
    {
      what: 'recorded: singular and plural port keys, "88-90", protocol * and TCP, priority order',
      resource: () => firewall(recorded, 'c7n-nsg'),
      rules: [
        rule({ name: 'test3', action: 'deny', priority: 290, ports: [{ from: 8086, to: 8086 }] }),
        rule({ name: 'test1', priority: 300, ports: [{ from: 80, to: 80 }] }),
        rule({
          name: 'test2',
          priority: 310,
          ports: [
            { from: 8080, to: 8084 },
            { from: 8086, to: 8086 },
          ],
        }),
        rule({
          name: 'test4',
          action: 'deny',
          priority: 320,
          protocol: 'tcp',
          ports: [{ from: 22, to: 22 }],
        }),
        rule({ name: 'test6', priority: 330, ports: [{ from: 88, to: 90 }] }),
        ...DEFAULT_INBOUND,
        rule({
          name: 'test5',
          direction: 'egress',
          priority: 300,
          protocol: 'tcp',
          ports: [{ from: 22, to: 22 }],
        }),
        ...DEFAULT_OUTBOUND,
      ],
      network: null,
    },
    {
      what: 'recorded: "22-22" and protocol Tcp; the VNet of its subnet',
      resource: () => firewall(recorded, 'k8s-master-C02B7042-nsg'),
      rules: [
        rule({
          name: 'allow_kube_tls',
          priority: 100,
          protocol: 'tcp',
          ports: [{ from: 443, to: 443 }],
        }),
        rule({ name: 'allow_ssh', priority: 101, protocol: 'tcp', ports: [{ from: 22, to: 22 }] }),
        ...DEFAULT_INBOUND,
        ...DEFAULT_OUTBOUND,
      ],
      network:
        '/subscriptions/ea42f556-5106-4743-99b0-c129bfa71a47/resourceGroups/test_containerservice/providers/Microsoft.Network/virtualNetworks/k8s-vnet-C02B7042',
    },
    {
      what: 'lists, bare address, service tags, Any, application security group, Outbound',
      resource: () => firewall(scanOne(native('az-graph-query-output.json'))),
      rules: [
        rule({
          name: 'allow-web',
          priority: 200,
          protocol: 'tcp',
          ports: [
            { from: 443, to: 443 },
            { from: 8080, to: 8084 },
          ],
          peers: ['198.51.100.0/24', '203.0.113.7/32'],
        }),
        rule({
          name: 'allow-lb-probe',
          priority: 210,
          protocol: 'tcp',
          ports: [{ from: 80, to: 80 }],
          peers: ['service:AzureLoadBalancer'],
        }),
        rule({
          name: 'allow-asg',
          priority: 220,
          protocol: 'udp',
          ports: [{ from: 53, to: 53 }],
          peers: [
            'asg:/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-drift/providers/Microsoft.Network/applicationSecurityGroups/web-servers',
          ],
        }),
        rule({ name: 'deny-any', priority: 4096, action: 'deny', protocol: 'icmp' }),
        ...DEFAULT_INBOUND,
        rule({
          name: 'to-storage',
          direction: 'egress',
          priority: 100,
          ports: [{ from: 443, to: 443 }],
          peers: ['service:Storage.EastUS'],
        }),
        ...DEFAULT_OUTBOUND,
      ],
      network:
        '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-drift/providers/Microsoft.Network/virtualNetworks/vnet-drift',
    },
  ])('$what', ({ resource, rules, network }) => {
    const nsg = resource();
    expect(nsg.properties.rules).toEqual(rules);
    expect(nsg.properties.network).toBe(network);
  });

  it('recorded NSGs: SSH from * is exposed on k8s-master, denied first on c7n-nsg', () => {
    const k8s = firewall(recorded, 'k8s-master-C02B7042-nsg');
    expect(exposingRules(k8s.properties.rules, 22).map((r) => r.name)).toEqual(['allow_ssh']);
    const c7n = firewall(recorded, 'c7n-nsg');
    // test4 denies TCP 22 only, test1/2/6 allow other ports: nothing admits 22.
    expect(exposingRules(c7n.properties.rules, 22)).toEqual([]);
  });

  it('"Internet" and "0.0.0.0/0" are the internet; AllowInternetOutBound never makes ingress', () => {
    const open = firewall(scanOne(native('dd-net-001-violating-ssh-from-internet.json')));
    expect(open.properties.rules[0]).toMatchObject({ name: 'allow-ssh', peers: INTERNET });
    const outbound = firewall(scanOne(native('dd-net-001-compliant-outbound-only.json')));
    expect(exposingRules(outbound.properties.rules, 22)).toEqual([]);
    const rdp = firewall(
      scanOne(native('resource-graph-rows.ndjson'), 'rows.ndjson'),
      'nsg-ndjson',
    );
    expect(rdp.properties.rules[0]).toMatchObject({ name: 'allow-rdp', peers: INTERNET });
  });

  it('CIDRs that together span the public internet count as 0.0.0.0/0', () => {
    const body = native('dd-net-001-violating-ssh-from-internet.json') as {
      properties: { securityRules: { properties: Record<string, unknown> }[] };
    };
    const split = structuredClone(body);
    const fields = must(split.properties.securityRules[0]).properties;
    delete fields['sourceAddressPrefix'];
    fields['sourceAddressPrefixes'] = ['0.0.0.0/1', '128.0.0.0/1'];
    const nsg = firewall(scanOne(split));
    expect(must(nsg.properties.rules[0]).peers).toEqual(['0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1']);
  });

  it('keeps the case of ids, types in canonical case from a Resource Graph row', () => {
    const nsg = firewall(scanOne(native('dd-net-002-violating-all-ports-from-any.json')));
    expect(nsg.nativeType).toBe('Microsoft.Network/networkSecurityGroups');
    expect(nsg.id).toContain('/providers/Microsoft.Network/networkSecurityGroups/ddnet002-any-any');
    expect(nsg.properties.rules[0]).toEqual(rule({ name: 'allow-all', priority: 100 }));
  });

  it.each([
    { what: 'rule without direction', path: 'direction', value: undefined, reason: /direction/ },
    { what: 'unknown access', path: 'access', value: 'Permit', reason: /access/ },
    { what: 'no protocol', path: 'protocol', value: undefined, reason: /protocol/ },
    { what: 'port out of range', path: 'destinationPortRange', value: '70000', reason: /70000/ },
    { what: 'no port at all', path: 'destinationPortRange', value: undefined, reason: /PortRange/ },
    { what: 'no source at all', path: 'sourceAddressPrefix', value: undefined, reason: /source/ },
    {
      what: 'prefix list with a number',
      path: 'sourceAddressPrefixes',
      value: [1],
      reason: /list/,
    },
  ])('an unreadable rule makes the NSG unreadable: $what', ({ path, value, reason }) => {
    const body = structuredClone(
      native('dd-net-001-violating-ssh-from-internet.json') as {
        properties: { securityRules: { properties: Record<string, unknown> }[] };
      },
    );
    const fields = must(body.properties.securityRules[0]).properties;
    if (value === undefined) delete fields[path];
    else fields[path] = value;
    const result = scanOne(body, 'nsg.json');
    expect(result.resources).toEqual([]);
    expect(result.errors).toHaveLength(1);
    const error = must(result.errors[0]);
    expect(error.source).toBe('nsg.json');
    expect(error.message).toMatch(/securityRules\[0\] \(allow-ssh\)/);
    expect(error.message).toMatch(reason);
  });

  it('an NSG without securityRules is unreadable, not rule-less', () => {
    const body = structuredClone(
      native('dd-net-001-violating-ssh-from-internet.json') as {
        properties: Record<string, unknown>;
      },
    );
    delete body.properties['securityRules'];
    const result = scanOne(body);
    expect(result.errors.map((e) => e.reason)).toEqual(['properties.securityRules is not a list']);
  });
});
