import {
  createInventoryContext,
  NormalizeError,
  type FirewallRule,
} from '@drift-detective/resource-model';
import { firewallRule } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { ec2SecurityGroup } from '../../src/normalize/ec2-security-group.js';
import { corpus, defined, native, normalizeOne, propertiesOf } from '../helpers.js';

const rule = (overrides: Partial<FirewallRule>) => firewallRule({ protocol: 'tcp', ...overrides });
const EGRESS_ALL = rule({ direction: 'egress', protocol: 'all', peers: ['0.0.0.0/0'] });

function firewall(document: unknown, source: string) {
  return propertiesOf(normalizeOne(document, source), 'network.firewall');
}

/** A SelectResourceConfig row's configuration, given straight to the normalizer. */
function rowRules(file: string) {
  const page = corpus(file) as { data: { Results: string[] } };
  const row = JSON.parse(defined(page.data.Results[0])) as {
    configuration: Record<string, unknown>;
  };
  return ec2SecurityGroup.properties({
    source: file,
    id: 'arn:aws:ec2:us-east-1:644160558196:security-group/sg-x',
    account: '644160558196',
    region: 'us-east-1',
    configuration: row.configuration,
    supplementary: null,
    context: createInventoryContext(),
  });
}

describe('AWS::EC2::SecurityGroup → network.firewall', () => {
  const cases = [
    {
      name: 'ipRanges and ipv4Ranges repeat each other; egress "-1" has no port keys',
      document: () => corpus('aws/config-rule-event-security-group-open-ssh.json'),
      rules: [EGRESS_ALL, rule({ ports: [{ from: 22, to: 22 }], peers: ['0.0.0.0/0'] })],
      network: 'vpc-f16e4296',
      defaultGroup: false,
    },
    {
      name: 'history item (string configuration): old-style ipRanges only, "-1" with fromPort null',
      document: () => corpus('aws/placebo-config-history-sg.json'),
      rules: [
        EGRESS_ALL,
        rule({ ports: [{ from: 443, to: 443 }], peers: ['10.42.1.0/24'] }),
        rule({ ports: [{ from: 8080, to: 8080 }], peers: ['0.0.0.0/0'] }),
      ],
      network: 'vpc-72885e14',
      defaultGroup: false,
      record: 0,
    },
    {
      name: 'group-to-group rule from port 0 to 0 (userIdGroupPairs)',
      document: () => corpus('aws/placebo-config-history-sg-ingress.json'),
      rules: [EGRESS_ALL, rule({ ports: [{ from: 0, to: 0 }], peers: ['sg:sg-aa6c90c3'] })],
      network: 'vpc-5f6c9936',
      defaultGroup: false,
    },
    {
      name: 'rdk example: tcp 22 from anywhere, egress without ports',
      document: () => corpus('aws/rdk-ci-ec2-security-group.json'),
      rules: [EGRESS_ALL, rule({ ports: [{ from: 22, to: 22 }], peers: ['0.0.0.0/0'] })],
      network: 'vpc-0990dc6d',
      defaultGroup: false,
    },
    {
      name: 'IPv6 source (ipv6Ranges[].cidrIpv6)',
      document: () => native('dd-net-001-violating-rdp-open-ipv6.json'),
      rules: [EGRESS_ALL, rule({ ports: [{ from: 3389, to: 3389 }], peers: ['::/0'] })],
      network: 'vpc-0c1d2e3f4a5b6c7d8',
      defaultGroup: false,
    },
    {
      name: 'all traffic ("-1") from anywhere: protocol all, every port',
      document: () => native('dd-net-002-violating-all-traffic-open.json'),
      rules: [EGRESS_ALL, rule({ protocol: 'all', peers: ['0.0.0.0/0'] })],
      network: 'vpc-0c1d2e3f4a5b6c7d8',
      defaultGroup: false,
    },
    {
      name: 'all traffic from the group itself',
      document: () => native('dd-net-002-compliant-all-traffic-from-self.json'),
      rules: [EGRESS_ALL, rule({ protocol: 'all', peers: ['sg:sg-0e55ee55ee55ee55e'] })],
      network: 'vpc-0c1d2e3f4a5b6c7d8',
      defaultGroup: false,
    },
  ];

  it.each(cases)('$name', ({ document, rules, network, defaultGroup, name, record }) => {
    const doc = document();
    const input =
      record === undefined
        ? doc
        : (doc as { data: { configurationItems: unknown[] } }).data.configurationItems[record];
    expect(firewall(input, name)).toEqual({ rules, network, defaultGroup });
  });

  it('reads SelectResourceConfig float ports (22.0) as integers', () => {
    expect(rowRules('aws/placebo-config-select-sg-ssh-open.json').rules).toEqual([
      EGRESS_ALL,
      rule({ ports: [{ from: 22, to: 22 }], peers: ['0.0.0.0/0'] }),
    ]);
  });

  it('merges a /32, a self reference and de-duplicated ranges of one "-1" permission', () => {
    const group = rowRules('aws/placebo-config-select-sg-default.json');
    expect(group.rules).toEqual([
      EGRESS_ALL,
      rule({ protocol: 'all', peers: ['108.56.181.242/32', 'sg:sg-6c7fa917'] }),
    ]);
    // The VPC's "default" group, as recorded.
    expect(group.defaultGroup).toBe(true);
  });

  it('knows a default group only when its rules are whole: no egress list and no ingress is unknown', () => {
    const item = structuredClone(native('dd-net-003-compliant-default-group-empty.json')) as {
      configuration: Record<string, unknown>;
    };
    expect(firewall(item, 'empty default group').defaultGroup).toBe(true);
    delete item.configuration['ipPermissionsEgress'];
    expect(firewall(item, 'no egress list').defaultGroup).toBeNull();
    delete item.configuration['groupName'];
    expect(firewall(item, 'no group name').defaultGroup).toBeNull();
  });

  it('builds the documented ARN from region, ownerId and groupId when a row has a region', () => {
    const page = corpus('aws/placebo-config-select-sg-ssh-open.json') as {
      data: { Results: string[] };
    };
    const row = { awsRegion: 'us-east-1', ...JSON.parse(defined(page.data.Results[0])) };
    const resource = normalizeOne(row, 'row with region');
    expect(resource.id).toBe(
      'arn:aws:ec2:us-east-1:644160558196:security-group/sg-04ececeaf1ed666cb',
    );
    expect(resource.account).toBe('644160558196');
    expect(resource.name).toBe('launch-wizard-11');
  });

  it('refuses a tcp permission whose port range cannot be read', () => {
    const item = structuredClone(native('dd-net-001-violating-ssh-open.json')) as {
      configuration: { ipPermissions: Record<string, unknown>[] };
    };
    defined(item.configuration.ipPermissions[0])['fromPort'] = '22';
    expect(() => normalizeOne(item, 'bad port')).toThrow(NormalizeError);
    expect(() => normalizeOne(item, 'bad port')).toThrow(/fromPort\/toPort/);
  });

  it('refuses a permission with neither ipRanges nor ipv4Ranges (its sources are unknown)', () => {
    const item = structuredClone(native('dd-net-001-violating-ssh-open.json')) as {
      configuration: { ipPermissions: Record<string, unknown>[] };
    };
    const permission = defined(item.configuration.ipPermissions[0]);
    delete permission['ipRanges'];
    delete permission['ipv4Ranges'];
    expect(() => normalizeOne(item, 'no ranges')).toThrow(/neither ipRanges nor ipv4Ranges/);
  });

  it('refuses an item without ipPermissions rather than reporting no ingress', () => {
    const item = structuredClone(native('dd-net-001-violating-ssh-open.json')) as {
      configuration: Record<string, unknown>;
    };
    delete item.configuration['ipPermissions'];
    expect(() => normalizeOne(item, 'no ingress')).toThrow(/ipPermissions/);
  });
});
