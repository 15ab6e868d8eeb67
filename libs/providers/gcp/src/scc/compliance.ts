import type { protos } from '@google-cloud/security-center';

type Compliance = protos.google.cloud.securitycenter.v2.ICompliance;

/**
 * A rule's frameworks (its METADATA keys: "cis-gcp-3.0", "nist-800-53",
 * "cis-aws-3.0", …) as SCC v2 `Compliance` entries {standard, version, ids}
 * (https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings#compliance).
 * The standards are spelled as SCC's own detectors spell them (Security Health
 * Analytics writes `{standard: "cis", version: "2.0", ids: ["5.1"]}` and
 * `{standard: "nist", version: "800-53 R5", …}`), so the console's compliance
 * views group our findings with theirs.
 *
 * - `cis-gcp-<version>` → cis, <version>;
 * - `nist-800-53` → nist, "800-53 R5" (the revision the catalog maps to);
 * - the CIS benchmarks of other clouds (`cis-aws-…`, `cis-azure-…`) are left
 *   out: their control numbers mean nothing for a Google Cloud resource;
 * - any other key `<standard>-<version>` (the version being the trailing part
 *   that starts with a digit) as it is, and a key without one as the standard
 *   with an empty version.
 * Entries without ids are dropped; the order is the keys' sorted order, so a
 * re-send writes the same list.
 */
export function compliancesOf(
  frameworks: Readonly<Record<string, readonly string[]>>,
): Compliance[] {
  return Object.keys(frameworks)
    .sort()
    .flatMap((key) => {
      const ids = [...new Set(frameworks[key] ?? [])].filter((id) => id.trim() !== '');
      const standard = standardOf(key);
      return standard === null || ids.length === 0 ? [] : [{ ...standard, ids }];
    });
}

function standardOf(key: string): { standard: string; version: string } | null {
  const lower = key.trim().toLowerCase();
  const cisGcp = /^cis-gcp-(.+)$/.exec(lower);
  if (cisGcp) return { standard: 'cis', version: cisGcp[1] ?? '' };
  if (lower.startsWith('cis-')) return null;
  if (lower === 'nist-800-53') return { standard: 'nist', version: '800-53 R5' };
  const versioned = /^(.+?)-(\d[\w.-]*)$/.exec(lower);
  if (versioned) return { standard: versioned[1] ?? lower, version: versioned[2] ?? '' };
  return lower === '' ? null : { standard: lower, version: '' };
}
