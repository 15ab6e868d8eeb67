import type { FirewallRule } from '@drift-detective/resource-model';

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
