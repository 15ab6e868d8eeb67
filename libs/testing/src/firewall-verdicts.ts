import {
  addressSpans,
  type AddressSpan,
  type FirewallPolicyLevel,
  type FirewallRule,
} from '@drift-detective/resource-model';

/**
 * Protocols that address traffic to ports, by name and IANA number (TCP, UDP, DCCP, SCTP,
 * UDP-Lite), and "all", which includes them. ICMP, ESP, AH, GRE and the rest have no ports.
 * https://www.iana.org/assignments/protocol-numbers/protocol-numbers.xhtml
 */
const PORT_PROTOCOLS = new Set([
  'all',
  'tcp',
  '6',
  'udp',
  '17',
  'dccp',
  '33',
  'sctp',
  '132',
  'udplite',
  '136',
]);

/**
 * DD-NET-002's "all ports", restated for the providers' independent verdicts: a protocol with
 * ports and no port list, or a range spanning 1-65535. A rule admitting only a protocol without
 * ports (ICMP…) opens no port.
 */
export function opensAllPorts(rule: Pick<FirewallRule, 'protocol' | 'ports'>): boolean {
  if (!PORT_PROTOCOLS.has(rule.protocol)) return false;
  return rule.ports === null || rule.ports.some((r) => r.from <= 1 && r.to >= 65535);
}

const INTERNET = new Set(['0.0.0.0/0', '::/0']);

/**
 * Whether the spans together hold every IPv4 or every IPv6 address: sorted by start, each
 * must begin at or before the end reached so far. (The Rego rules decide this another way,
 * without sorting; the two are meant to disagree only if one is wrong.)
 */
export function coversInternet(spans: readonly AddressSpan[]): boolean {
  return (['ipv4', 'ipv6'] as const).some((family) => {
    const top = 1n << (family === 'ipv4' ? 32n : 128n);
    const sorted = spans
      .filter((s) => s.family === family)
      .map((s) => [BigInt(`0x${s.start}`), BigInt(`0x${s.end}`)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let reached = 0n;
    for (const [start, end] of sorted) {
      if (start > reached) return false;
      if (end > reached) reached = end;
    }
    return reached >= top;
  });
}

/** Rules that admit some traffic: from the whole internet, alone or in pieces. */
export function admitsInternet(rules: readonly FirewallRule[]): boolean {
  return (
    rules.some((r) => r.peers.some((p) => INTERNET.has(p))) ||
    coversInternet(rules.flatMap((r) => r.peerSpans))
  );
}

/**
 * Of rules that admit traffic (enabled ingress allows, shadowing settled by the caller):
 * whether every port of some protocol is open to the whole internet, where a rule of every
 * protocol counts toward each protocol.
 */
export function allPortsOpenToInternet(rules: readonly FirewallRule[]): boolean {
  const open = rules.filter(opensAllPorts);
  return [...new Set(open.map((r) => r.protocol))].some((protocol) =>
    admitsInternet(open.filter((r) => r.protocol === protocol || r.protocol === 'all')),
  );
}

/**
 * A normalized firewall rule for expectations: `fields` over an enabled ingress allow of every
 * protocol from nowhere, its peerSpans following its peers as the normalizers write them.
 */
export function firewallRule(fields: Partial<FirewallRule>): FirewallRule {
  const rule = {
    name: null,
    direction: 'ingress' as const,
    action: 'allow' as const,
    priority: null,
    protocol: 'all',
    ports: null,
    peers: [],
    enabled: true,
    isDefault: false,
    ...fields,
  };
  return { ...rule, peerSpans: fields.peerSpans ?? addressSpans(rule.peers) };
}

const INTERNET_OF_FAMILY = { ipv4: '0.0.0.0/0', ipv6: '::/0' } as const;

/**
 * Whether `deny` settles, before `allow` is reached, the internet traffic `allow` admits on
 * `port` ('all': on every port): an enabled inbound deny, no later in priority order (a deny
 * wins a tie), that settles it (denySettles). Restated for the providers' independent verdicts.
 */
export function denyShadows(
  deny: FirewallRule,
  allow: FirewallRule,
  port: number | 'all',
): boolean {
  return (
    deny.priority !== null &&
    allow.priority !== null &&
    deny.priority <= allow.priority &&
    denySettles(deny, allow, port)
  );
}

/**
 * An enabled inbound deny of the allow's protocol or every protocol, covering `port`, from the
 * internet of every address family the allow names, on every instance the allow applies to
 * (no targets, or all of the allow's).
 */
function denySettles(deny: FirewallRule, allow: FirewallRule, port: number | 'all'): boolean {
  const families = new Set(allow.peerSpans.map((span) => span.family));
  const denyTargets = deny.targets ?? [];
  const allowTargets = allow.targets ?? [];
  return (
    deny.enabled &&
    deny.direction === 'ingress' &&
    deny.action === 'deny' &&
    (deny.protocol === 'all' || deny.protocol === allow.protocol) &&
    coversPortOf(deny, port) &&
    deny.peers.some((peer) => INTERNET.has(peer)) &&
    [...families].every((family) => deny.peers.includes(INTERNET_OF_FAMILY[family])) &&
    (denyTargets.length === 0 ||
      (allowTargets.length > 0 && allowTargets.every((target) => denyTargets.includes(target))))
  );
}

function coversPortOf(rule: FirewallRule, port: number | 'all'): boolean {
  if (port === 'all') return opensAllPorts(rule);
  return rule.ports === null || rule.ports.some((r) => r.from <= port && port <= r.to);
}

/**
 * Whether GCP's hierarchical firewall policies (levels, organization first) settle the allow's
 * internet traffic on `port` before the network's rules see it: some level's deny settles it,
 * and the rules evaluated before that deny which may take the traffic (allows of the levels
 * above; allows and goto_nexts ordered before it in its own policy) do not together admit the
 * whole internet.
 */
export function policiesShadow(
  levels: readonly FirewallPolicyLevel[],
  allow: FirewallRule,
  port: number | 'all',
): boolean {
  return levels.some((level, index) =>
    level.rules.some((deny) => {
      if (!denySettles(deny, allow, port)) return false;
      const before = levels.flatMap((other, at) =>
        other.rules.filter(
          (rule) =>
            rule.enabled &&
            rule.direction === 'ingress' &&
            (rule.protocol === 'all' ||
              allow.protocol === 'all' ||
              rule.protocol === allow.protocol) &&
            (port === 'all' || coversPortOf(rule, port)) &&
            ((at < index && rule.action === 'allow') ||
              (at === index &&
                rule.action !== 'deny' &&
                rule.priority !== null &&
                deny.priority !== null &&
                rule.priority < deny.priority)),
        ),
      );
      return !admitsInternet(before);
    }),
  );
}
