import { assertValidResource, firewallRule } from '@drift-detective/testing';
import {
  NormalizeError,
  type FirewallRule,
  type ResourceOf,
} from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { gcpInventory } from '../src/index.js';
import {
  asAsset,
  clone,
  flightBody,
  gcpCorpus,
  must,
  nativeFixture,
  normalizeOne,
  oneRecord,
  scan,
  scanContext,
} from './helpers.js';

type Firewall = ResourceOf<'network.firewall'>;
type Data = Record<string, unknown>;

const TYPE = 'compute.googleapis.com/Firewall';
const custodian = (name: string) =>
  `//compute.googleapis.com/projects/cloud-custodian/global/firewalls/${name}`;
const flightFirewall = (body: Data) => asAsset(body, TYPE, custodian(body['name'] as string));
const effective = flightBody('flight-compute-network-effective-firewalls.json')[
  'firewalls'
] as Data[];
const exportRecord = (file: string, name: string) => {
  const record = (gcpCorpus(file) as { name: string }[]).find((r) =>
    r.name.endsWith(`/${name}`),
  ) as unknown;
  if (record === undefined) throw new Error(`${name} not in ${file}`);
  return clone(record) as { resource: { data: Data } };
};
const withData = (file: string, name: string, change: (data: Data) => void) => {
  const record = exportRecord(file, name);
  change(record.resource.data);
  return record;
};

const rule = (overrides: Partial<FirewallRule>) =>
  firewallRule({ priority: 1000, peers: ['0.0.0.0/0'], targets: [], ...overrides });

// targetServiceAccounts of the recorded rules, as the model writes targets.
const CF_TARGET =
  'serviceAccount:cf-gcp-challenge-dev-sa@cf-gcp-challenge-dev.iam.gserviceaccount.com';

const cases: {
  title: string;
  document: () => unknown;
  rules: FirewallRule[];
  network?: string;
  /** The record's targetTags / targetServiceAccounts; none by default. */
  targets?: string[];
}[] = [
  {
    title: 'firewalls.get: allowed IPProtocol "all" from 0.0.0.0/0',
    targets: ['serviceAccount:604150802624-compute@developer.gserviceaccount.com'],
    document: () => flightFirewall(flightBody('flight-compute-firewall-get-all-open.json')),
    rules: [rule({ name: 'allow-inbound-xyz' })],
    network:
      'https://www.googleapis.com/compute/v1/projects/cloud-custodian/global/networks/default',
  },
  {
    title: 'firewalls.list: ports "22" and range "21-25", a bare source address becomes /32',
    targets: ['tag:oldtag'],
    document: () =>
      flightFirewall(
        must((flightBody('flight-compute-firewalls-list.json')['items'] as Data[])[0]),
      ),
    rules: [
      rule({
        name: 'test',
        protocol: 'tcp',
        ports: [
          { from: 22, to: 22 },
          { from: 21, to: 25 },
        ],
        peers: ['1.1.1.1/32'],
      }),
    ],
  },
  {
    title:
      'getEffectiveFirewalls: bare addresses and CIDRs mixed in one sourceRanges, priority 900',
    document: () => flightFirewall(must(effective[0])),
    rules: [rule({ name: 'allow-ssh', priority: 900, peers: ['0.0.0.0/0', '93.76.224.124/32'] })],
  },
  {
    title: 'getEffectiveFirewalls: tcp 22 and 3389 from addresses only',
    document: () => flightFirewall(must(effective[2])),
    rules: [
      rule({
        name: 'allow-ingress-from-iap',
        protocol: 'tcp',
        ports: [
          { from: 22, to: 22 },
          { from: 3389, to: 3389 },
        ],
        peers: ['185.38.216.32/32', '35.235.240.0/20', '37.214.38.88/32', '93.76.224.124/32'],
      }),
    ],
  },
  {
    title:
      'CAI export (Forseti): duplicate spellings ipProtocol / sourceRange, denied list, priority 200',
    targets: [
      'serviceAccount:forseti-client-gcp-5131f4ff@test-forseti-cft.iam.gserviceaccount.com',
    ],
    document: () => exportRecord('cai-export-firewalls-logs-ancestors.json', 'bad'),
    rules: ['icmp', 'udp', 'tcp'].map((protocol) =>
      rule({ name: 'bad', action: 'deny', priority: 200, protocol }),
    ),
  },
  {
    title: 'CAI export: one rule per allowed entry, in order; tcp without ports means every port',
    targets: [CF_TARGET],
    document: () =>
      exportRecord('cai-export-firewalls-protocol-and-port.json', 'cf-test-fw-rule-6'),
    rules: [
      rule({ name: 'cf-test-fw-rule-6', protocol: 'tcp' }),
      rule({ name: 'cf-test-fw-rule-6', protocol: 'udp', ports: [{ from: 5200, to: 5200 }] }),
      rule({ name: 'cf-test-fw-rule-6', protocol: 'ah' }),
      rule({ name: 'cf-test-fw-rule-6', protocol: 'sctp' }),
      rule({ name: 'cf-test-fw-rule-6', protocol: 'icmp' }),
    ],
  },
  {
    title: 'CAI export: disabled: true admits nothing (enabled false)',
    targets: [CF_TARGET],
    document: () =>
      exportRecord('cai-export-firewalls-protocol-and-port.json', 'cf-test-fw-rule-2'),
    rules: [rule({ name: 'cf-test-fw-rule-2', enabled: false })],
  },
  {
    title: 'CAI export: "0-65535" stays a range (all ports written out)',
    targets: [CF_TARGET],
    document: () =>
      exportRecord(
        'cai-export-firewalls-protocol-and-all-ports.json',
        'cf-test-fw-rule-tcp-all-port-range0',
      ),
    rules: [
      rule({
        name: 'cf-test-fw-rule-tcp-all-port-range0',
        protocol: 'tcp',
        ports: [{ from: 0, to: 65535 }],
      }),
    ],
  },
  {
    title:
      'CAI export: sourceTags and sourceServiceAccounts without ranges (no implicit 0.0.0.0/0)',
    targets: [CF_TARGET],
    document: () => exportRecord('cai-export-firewalls-sources.json', 'cf-test-fw-rule-source-6'),
    rules: [
      rule({
        name: 'cf-test-fw-rule-source-6',
        peers: [
          'serviceAccount:cf-gcp-challenge-dev-sa-source@cf-gcp-challenge-dev.iam.gserviceaccount.com',
          'tag:source-tag-1',
        ],
      }),
    ],
  },
  {
    title: 'CAI export: sourceRanges and sourceTags together',
    targets: [CF_TARGET],
    document: () => exportRecord('cai-export-firewalls-sources.json', 'cf-test-fw-rule-source-0'),
    rules: [
      rule({
        name: 'cf-test-fw-rule-source-0',
        priority: 65534,
        peers: ['0.0.0.0/0', 'tag:source-tag'],
      }),
    ],
  },
  {
    title: 'CAI export: EGRESS uses destinationRanges',
    targets: [CF_TARGET],
    document: () => exportRecord('cai-export-firewalls-sources.json', 'cf-test-fw-rule-source-11'),
    rules: [
      rule({ name: 'cf-test-fw-rule-source-11', direction: 'egress', peers: ['10.0.0.0/24'] }),
    ],
  },
  {
    title: 'INGRESS with no source at all applies to 0.0.0.0/0',
    targets: [CF_TARGET],
    document: () =>
      withData('cai-export-firewalls-protocol-and-port.json', 'cf-test-fw-rule-5', (data) => {
        delete data['sourceRanges'];
      }),
    rules: [rule({ name: 'cf-test-fw-rule-5' })],
  },
  {
    title: 'EGRESS with no destinationRanges applies to 0.0.0.0/0',
    targets: [CF_TARGET],
    document: () =>
      withData('cai-export-firewalls-sources.json', 'cf-test-fw-rule-source-11', (data) => {
        delete data['destinationRanges'];
      }),
    rules: [rule({ name: 'cf-test-fw-rule-source-11', direction: 'egress' })],
  },
  {
    title: 'no priority means 1000, no disabled means enabled, no direction means INGRESS',
    document: () =>
      withData('cai-export-firewalls-logs-ancestors.json', 'good', (data) => {
        delete data['priority'];
        delete data['disabled'];
        delete data['direction'];
      }),
    rules: [rule({ name: 'good', protocol: 'icmp' })],
  },
  {
    title: 'protocol numbers and upper case: lower-cased, numbers kept',
    targets: [CF_TARGET],
    document: () =>
      withData('cai-export-firewalls-protocol-and-port.json', 'cf-test-fw-rule-7', (data) => {
        data['allowed'] = [{ IPProtocol: 'TCP', ports: ['22'] }, { IPProtocol: '6' }];
      }),
    rules: [
      rule({
        name: 'cf-test-fw-rule-7',
        protocol: 'tcp',
        ports: [{ from: 22, to: 22 }],
        enabled: false,
      }),
      rule({ name: 'cf-test-fw-rule-7', protocol: '6', enabled: false }),
    ],
  },
  {
    title: 'IPv6 source: a bare address becomes /128',
    targets: [CF_TARGET],
    document: () =>
      withData('cai-export-firewalls-protocol-and-port.json', 'cf-test-fw-rule-5', (data) => {
        data['sourceRanges'] = ['2001:db8::1', '::/0'];
      }),
    rules: [rule({ name: 'cf-test-fw-rule-5', peers: ['2001:db8::1/128', '::/0'] })],
  },
];

describe('compute.googleapis.com/Firewall → network.firewall', () => {
  it.each(cases)('$title', ({ document, rules, network, targets = [] }) => {
    const resource = normalizeOne(document()) as Firewall;
    assertValidResource(resource);
    expect(resource.kind).toBe('network.firewall');
    // Every entry of a firewall rule applies to the rule's targets.
    expect(resource.properties.rules).toEqual(rules.map((r) => ({ ...r, targets })));
    if (network !== undefined) expect(resource.properties.network).toBe(network);
  });

  it('takes the project number from ancestors and the region from resource.location', () => {
    const record = exportRecord('cai-export-firewalls-logs-ancestors.json', 'bad') as Data;
    (record['resource'] as Data)['location'] = 'global';
    const resource = normalizeOne(record) as Firewall;
    expect(resource.account).toBe('449045403945');
    expect(resource.region).toBe('global');
    expect(resource.name).toBe('bad');
  });

  const unreadable: { title: string; change: (data: Data) => void; reason: RegExp }[] = [
    {
      title: 'neither allowed nor denied',
      change: (d) => delete d['allowed'],
      reason: /neither allowed nor denied/,
    },
    {
      title: 'a port that is no port',
      change: (d) => (d['allowed'] = [{ IPProtocol: 'tcp', ports: ['ssh'] }]),
      reason: /port "ssh"/,
    },
    {
      title: 'a reversed range',
      change: (d) => (d['allowed'] = [{ IPProtocol: 'tcp', ports: ['25-21'] }]),
      reason: /port "25-21"/,
    },
    {
      title: 'an entry without protocol',
      change: (d) => (d['allowed'] = [{ ports: ['22'] }]),
      reason: /no IPProtocol/,
    },
    {
      title: 'an unknown direction',
      change: (d) => (d['direction'] = 'SIDEWAYS'),
      reason: /direction/,
    },
    {
      title: 'a source that is no address',
      change: (d) => (d['sourceRanges'] = ['0.0.0.0/']),
      reason: /not an address or CIDR/,
    },
    { title: 'disabled as a string', change: (d) => (d['disabled'] = 'false'), reason: /disabled/ },
  ];

  it.each(unreadable)(
    'throws NormalizeError on $title (a rule list cannot say "unknown")',
    ({ change, reason }) => {
      const record = withData(
        'cai-export-firewalls-protocol-and-port.json',
        'cf-test-fw-rule-5',
        change,
      );
      const native = oneRecord(record, 'fw.json');
      expect(() => gcpInventory.normalize(native, scanContext())).toThrow(NormalizeError);
      expect(() => gcpInventory.normalize(native, scanContext())).toThrow(reason);
    },
  );

  it('throws NormalizeError for a firewall record without resource data', () => {
    const native = oneRecord({ name: custodian('x'), assetType: TYPE, ancestors: ['projects/1'] });
    expect(() => gcpInventory.normalize(native, scanContext())).toThrow(/no resource data/);
  });
});

describe("a firewall rule with its network's other rules", () => {
  // The recorded allow (every protocol from 0.0.0.0/0, network default), and denies beside it.
  const allowAll = () =>
    exportRecord('cai-export-firewalls-protocol-and-port.json', 'cf-test-fw-rule-5');
  const denyOf = (name: string, change: (data: Data) => void = () => undefined) =>
    withData('cai-export-firewalls-protocol-and-port.json', 'cf-test-fw-rule-5', (data) => {
      data['name'] = name;
      delete data['allowed'];
      delete data['targetServiceAccounts'];
      data['denied'] = [{ IPProtocol: 'tcp', ports: ['22'] }];
      data['priority'] = 900;
      change(data);
    });
  const named = (record: { resource: { data: Data } }, name: string) =>
    Object.assign(record, { name: custodian(name) });
  const firewalls = (records: unknown[]) => {
    const { resources, errors } = scan([{ document: records, source: 'network.json' }]);
    return { byName: new Map(resources.map((r) => [r.name, r as Firewall])), errors };
  };

  it("holds the denies of the network's other rules, however the network is spelled, in name order", () => {
    const { byName, errors } = firewalls([
      named(denyOf('deny-b'), 'deny-b'),
      allowAll(),
      named(
        denyOf(
          'deny-a',
          (d) => (d['network'] = 'projects/cf-gcp-challenge-dev/global/networks/default'),
        ),
        'deny-a',
      ),
      named(
        denyOf('deny-elsewhere', (d) => {
          d['network'] =
            'https://www.googleapis.com/compute/v1/projects/cf-gcp-challenge-dev/global/networks/staging';
        }),
        'deny-elsewhere',
      ),
    ]);
    expect(errors).toEqual([]);
    const allow = must(byName.get('cf-test-fw-rule-5'));
    expect(allow.properties.networkDenyRules?.map((r) => [r.name, r.priority, r.action])).toEqual([
      ['deny-a', 900, 'deny'],
      ['deny-b', 900, 'deny'],
    ]);
    // A rule never counts among its own network's others; another network's rules never count.
    expect(must(byName.get('deny-a')).properties.networkDenyRules?.map((r) => r.name)).toEqual([
      'deny-b',
    ]);
    expect(must(byName.get('deny-elsewhere')).properties.networkDenyRules).toEqual([]);
  });

  it('makes them unknown when a rule of the network that may deny cannot be read', () => {
    const { byName, errors } = firewalls([
      allowAll(),
      named(
        denyOf('deny-broken', (d) => (d['denied'] = [{ IPProtocol: 'tcp', ports: ['ssh'] }])),
        'deny-broken',
      ),
    ]);
    expect(errors.map((e) => e.reason)).toEqual([expect.stringMatching(/deny-broken: port "ssh"/)]);
    expect(must(byName.get('cf-test-fw-rule-5')).properties.networkDenyRules).toBeNull();
  });

  it('leaves them known when the unreadable rule plainly allows only', () => {
    const broken = named(allowAll(), 'allow-broken');
    broken.resource.data['sourceRanges'] = ['0.0.0.0/'];
    const { byName, errors } = firewalls([allowAll(), named(denyOf('deny-a'), 'deny-a'), broken]);
    expect(errors).toHaveLength(1);
    expect(
      must(byName.get('cf-test-fw-rule-5')).properties.networkDenyRules?.map((r) => r.name),
    ).toEqual(['deny-a']);
  });
});

describe('a firewall rule under hierarchical firewall policies', () => {
  const fixture = (file: string) => clone(nativeFixture(file)) as Data[];
  const policyData = (record: Data) => (record['resource'] as { data: Data }).data;
  const subject = (records: Data[]) => {
    const { resources, errors } = scan([{ document: records, source: 'policies.json' }]);
    const firewall = resources.find((r) => r.kind === 'network.firewall') as Firewall;
    return { firewall, errors };
  };

  it('holds the policies of its ancestors, organization first, with the rules for its network', () => {
    const { firewall, errors } = subject(
      fixture('dd-net-001-violating-ssh-open-past-firewall-policies-that-do-not-settle-it.json'),
    );
    expect(errors).toEqual([]);
    const levels = must(firewall.properties.policyLevels);
    expect(levels.map((l) => [l.node, l.policy])).toEqual([
      [
        'organizations/671234098812',
        '//compute.googleapis.com/locations/global/firewallPolicies/285733391023',
      ],
      [
        'folders/302194586720',
        '//compute.googleapis.com/locations/global/firewallPolicies/719304556102',
      ],
    ]);
    // The organization's deny names only the staging network: it does not apply here.
    expect(must(levels[0]).rules.map((r) => r.action)).toEqual(['next', 'next', 'next', 'next']);
    expect(
      must(levels[1])
        .rules.filter((r) => r.action !== 'next' || r.priority === 100)
        .map((r) => [r.name, r.action, r.priority, r.protocol, r.ports, r.peers]),
    ).toEqual([
      ['delegate-ssh-to-vpc', 'next', 100, 'tcp', [{ from: 22, to: 22 }], ['0.0.0.0/0']],
      [
        'deny-admin-from-internet',
        'deny',
        1000,
        'tcp',
        [
          { from: 22, to: 22 },
          { from: 3389, to: 3389 },
        ],
        ['0.0.0.0/0'],
      ],
    ]);
  });

  it('keeps a rule naming its network, without the network target', () => {
    const records = fixture(
      'dd-net-001-violating-ssh-open-past-firewall-policies-that-do-not-settle-it.json',
    );
    const rule = (policyData(must(records[1]))['rules'] as Data[])[0] as Data;
    rule['targetResources'] = [
      'https://www.googleapis.com/compute/v1/projects/dd-fixtures-prod/global/networks/default',
    ];
    rule['targetServiceAccounts'] = ['web@dd-fixtures-prod.iam.gserviceaccount.com'];
    const { firewall } = subject(records);
    const deny = must(firewall.properties.policyLevels?.[0]).rules[0];
    expect(deny?.targets).toEqual(['serviceAccount:web@dd-fixtures-prod.iam.gserviceaccount.com']);
  });

  it('makes them unknown when a policy above cannot be read, and reports it', () => {
    const records = fixture(
      'dd-net-001-compliant-ssh-open-behind-an-organization-firewall-policy.json',
    );
    (policyData(must(records[1]))['rules'] as Data[])[0] = { action: 'reject', match: {} };
    const { firewall, errors } = subject(records);
    expect(firewall.properties.policyLevels).toBeNull();
    expect(errors.map((e) => e.reason)).toEqual([
      expect.stringMatching(/^firewall policy .*285733391023: action "reject" is none of allow/),
    ]);
  });
});
