/** IPv4 / IPv6 address and CIDR helpers for NSG prefixes, SQL firewall ranges and Key Vault IP rules. */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The IPv4 address as an unsigned 32-bit number, or null. */
export function ipv4ToNumber(text: string): number | null {
  const match = IPV4.exec(text);
  if (!match) return null;
  let value = 0;
  for (const part of match.slice(1)) {
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function isIpv4(text: string): boolean {
  return ipv4ToNumber(text) !== null;
}

/** A loose IPv6 check: hex groups and colons (with an optional embedded IPv4 tail). */
export function isIpv6(text: string): boolean {
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return false;
  const doubleColons = text.split('::').length - 1;
  if (doubleColons > 1) return false;
  const groups = text.split(':').filter((g) => g !== '');
  if (groups.some((g) => g.length > 4 && !isIpv4(g))) return false;
  return doubleColons === 1 ? groups.length < 8 : groups.length === 8 || groups.length === 7;
}

/**
 * The address or prefix as a CIDR: "10.0.0.0/8" stays, a bare "10.1.2.3" becomes
 * "10.1.2.3/32" (and IPv6 "/128"), as the model asks. null when it is neither.
 */
export function toCidr(text: string): string | null {
  const [address = '', prefix, ...rest] = text.split('/');
  if (rest.length > 0) return null;
  const v4 = isIpv4(address);
  if (!v4 && !isIpv6(address)) return null;
  const max = v4 ? 32 : 128;
  if (prefix === undefined) return `${address}/${max}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return null;
  return `${address}/${Number(prefix)}`;
}

/** The inclusive IPv4 interval of a CIDR or bare address, or null when not IPv4. */
export function ipv4Interval(text: string): [number, number] | null {
  const cidr = toCidr(text);
  if (cidr === null) return null;
  const [address = '', prefix = '32'] = cidr.split('/');
  const base = ipv4ToNumber(address);
  if (base === null) return null;
  const size = 2 ** (32 - Number(prefix));
  const start = Math.floor(base / size) * size;
  return [start, start + size - 1];
}

/**
 * Addresses that are not reachable from the internet (RFC 6890 special-purpose
 * blocks): a rule set that skips only these still admits the whole internet.
 */
const NOT_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
].map((cidr) => ipv4Interval(cidr) as [number, number]);

/**
 * Whether the IPv4 prefixes together admit every public IPv4 address — the
 * internet written as many CIDRs ("0.0.0.0/2", "64.0.0.0/3", … "128.0.0.0/1")
 * instead of one "0.0.0.0/0".
 */
export function coversPublicIpv4(prefixes: Iterable<string>): boolean {
  const intervals: [number, number][] = [...NOT_PUBLIC];
  let any = false;
  for (const prefix of prefixes) {
    const interval = ipv4Interval(prefix);
    if (interval) {
      intervals.push(interval);
      any = true;
    }
  }
  if (!any) return false;
  intervals.sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (const [start, end] of intervals) {
    if (start > next) return false;
    next = Math.max(next, end + 1);
  }
  return next > 0xffffffff;
}
