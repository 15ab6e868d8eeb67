import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * A block of addresses as numbers, so a rule can add several blocks up: "0.0.0.0/1" and
 * "128.0.0.0/1" together are the whole IPv4 internet. `start` and `end` (exclusive) are
 * fixed-width lower-case hexadecimal, 9 digits for IPv4 and 33 for IPv6: one digit more than
 * the address needs, so the end of the whole space (2^32, 2^128) is written too, and plain
 * string comparison orders them as numbers (Rego compares strings, and its numbers cannot
 * hold 128 bits exactly).
 */
export const AddressSpan = z.object({
  family: z.enum(['ipv4', 'ipv6']),
  start: z.string().regex(/^[0-9a-f]+$/),
  end: z.string().regex(/^[0-9a-f]+$/),
});
export type AddressSpan = z.infer<typeof AddressSpan>;

type Family = AddressSpan['family'];

const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };
const DIGITS: Record<Family, number> = { ipv4: 9, ipv6: 33 };

const hex = (value: bigint, family: Family) => value.toString(16).padStart(DIGITS[family], '0');

function span(family: Family, start: bigint, end: bigint): AddressSpan {
  return { family, start: hex(start, family), end: hex(end, family) };
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** Eight 16-bit groups; "::" stands for as many zero groups as are missing. */
function ipv6Value(text: string): bigint {
  let groups = text.split(':');
  const last = groups[groups.length - 1] ?? '';
  if (last.includes('.')) {
    // An IPv4 tail ("::ffff:192.0.2.1") is the last two groups.
    const v4 = ipv4Value(last);
    groups = [...groups.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
  }
  const gap = groups.indexOf('');
  if (gap >= 0) {
    const head = groups.slice(0, gap);
    const tail = groups.slice(gap).filter((g) => g !== '');
    groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  }
  return groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

function addressOf(text: string): { family: Family; value: bigint } | null {
  // A zone ("fe80::1%eth0") names an interface of one host, never a cloud rule's address.
  if (text.includes('%')) return null;
  const kind = isIP(text);
  if (kind === 4) return { family: 'ipv4', value: ipv4Value(text) };
  if (kind === 6) return { family: 'ipv6', value: ipv6Value(text) };
  return null;
}

/**
 * The block a CIDR ("10.0.0.0/8", "::/0") or a bare address (one host) covers. Host bits set
 * in a CIDR ("10.0.0.1/8") are ignored, as the clouds read it. null for anything else (a
 * security-group reference, a tag, a service tag).
 */
export function addressSpan(text: string): AddressSpan | null {
  const slash = text.indexOf('/');
  const address = addressOf(slash < 0 ? text : text.slice(0, slash));
  if (address === null) return null;
  const bits = BITS[address.family];
  const prefixText = slash < 0 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return null;
  const size = 1n << BigInt(bits - Number(prefixText));
  const start = address.value - (address.value % size);
  return span(address.family, start, start + size);
}

/** An inclusive start–end range of one family (Azure SQL firewall rules); null when unreadable. */
export function addressSpanOfRange(startIp: string, endIp: string): AddressSpan | null {
  const start = addressOf(startIp);
  const end = addressOf(endIp);
  if (start === null || end === null || start.family !== end.family) return null;
  if (start.value > end.value) return null;
  return span(start.family, start.value, end.value + 1n);
}

/** The spans of the peers that are addresses or CIDRs, in peer order. */
export function addressSpans(peers: readonly string[]): AddressSpan[] {
  return peers.flatMap((peer) => addressSpan(peer) ?? []);
}
