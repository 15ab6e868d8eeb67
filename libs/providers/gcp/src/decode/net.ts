import { isIP } from 'node:net';
import type { PortRange } from '@drift-detective/resource-model';

/**
 * An address range as a CIDR: a CIDR stays as written, a bare address becomes /32 (IPv4) or
 * /128 (IPv6). Compute firewall sourceRanges and Cloud SQL authorizedNetworks both accept a
 * bare address ("1.1.1.1" in a recorded firewalls.list) meaning that one host.
 * https://cloud.google.com/compute/docs/reference/rest/v1/firewalls (sourceRanges)
 * https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1beta4/instances#AclEntry (value)
 * null when the value is neither an address nor a CIDR.
 */
export function toCidr(value: string): string | null {
  const family = isIP(value);
  if (family === 4) return `${value}/32`;
  if (family === 6) return `${value}/128`;
  const slash = value.indexOf('/');
  if (slash < 0) return null;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  const addressFamily = isIP(address);
  if (addressFamily === 0 || !/^\d{1,3}$/.test(prefix)) return null;
  return Number(prefix) <= (addressFamily === 4 ? 32 : 128) ? value : null;
}

/**
 * A firewall port entry: "22" or a range "21-25" (inclusive); "Each entry must be either an
 * integer or a range", written as a string.
 * https://cloud.google.com/compute/docs/reference/rest/v1/firewalls ("Example inputs include: [\"22\"], [\"80\",\"443\"], and [\"12345-12349\"]")
 * null when the entry is anything else.
 */
export function toPortRange(value: unknown): PortRange | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
  if (!match) return null;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from > to || to > 65535) return null;
  return { from, to };
}
