import { findingId } from '@drift-detective/findings';
import type { Severity, Violation } from '@drift-detective/policy-engine';
import type { Resource } from '@drift-detective/resource-model';
import { severityRank } from './rule-filter.js';

/** One finding as `scan` reports it: the JSON output contract. */
export interface ScanFinding {
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Violation['severity'];
  /** ACTIVE for a violation; SUPPRESSED under a waiver; RESOLVED (with --state) once fixed or gone. */
  readonly status: 'ACTIVE' | 'SUPPRESSED' | 'RESOLVED';
  readonly provider: string;
  readonly account: string;
  readonly region: string | null;
  readonly resourceId: string;
  readonly resourceName: string;
  readonly resourceType: string;
  readonly kind: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly frameworks: Violation['frameworks'];
  readonly remediation: string;
  /** When the violating state was observed. */
  readonly observedAt: string;
  /** Resource tags, for waiver matching (not part of the JSON output). */
  readonly tags: Readonly<Record<string, string>>;
  /** The change that caused the violation, when the source says (who, when, which fields). */
  readonly change?: Resource['change'];
  /** With --state, for RESOLVED findings: why (compliant, deleted, rule-removed) and when. */
  readonly resolution?: string;
  readonly resolvedAt?: string;
  /** With --state: the content the report shows, so only what was reported is marked published. */
  readonly contentHash?: string;
  /** With --state: what happened to the finding in this run. */
  readonly transition?: string;
  /** The waiver that suppresses it. */
  readonly waiver?: {
    readonly rule: string;
    readonly reason: string;
    readonly owner: string;
    readonly expires: string;
  };
}

export function toFinding(resource: Resource, violation: Violation): ScanFinding {
  return {
    id: findingId({
      provider: resource.provider,
      account: resource.account,
      resourceId: resource.id,
      ruleId: violation.ruleId,
    }),
    ruleId: violation.ruleId,
    title: violation.title,
    severity: violation.severity,
    status: 'ACTIVE',
    provider: resource.provider,
    account: resource.account,
    region: resource.region,
    resourceId: resource.id,
    resourceName: resource.name,
    resourceType: resource.nativeType,
    kind: resource.kind,
    message: violation.message,
    details: violation.details,
    frameworks: violation.frameworks,
    remediation: violation.remediation,
    observedAt: resource.observedAt,
    tags: resource.tags,
    ...(resource.change ? { change: resource.change } : {}),
  };
}

/** Report order: most severe first, then by rule and resource, so a run repeats exactly. */
export function compareFindings(
  a: Pick<ScanFinding, 'severity' | 'ruleId' | 'resourceId'>,
  b: Pick<ScanFinding, 'severity' | 'ruleId' | 'resourceId'>,
): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.resourceId.localeCompare(b.resourceId)
  );
}

/**
 * Open findings by severity, kept as findings come and go: resolved ones are
 * history, not exposure. Reported most severe first, as the findings are.
 */
export class SeverityTally {
  private readonly counts = new Map<string, number>();

  add(severity: string, status?: string): void {
    if (status !== 'RESOLVED') this.counts.set(severity, (this.counts.get(severity) ?? 0) + 1);
  }

  /** Takes back a finding counted before (of a state a newer one or a deletion replaced). */
  remove(severity: string): void {
    this.counts.set(severity, (this.counts.get(severity) ?? 0) - 1);
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  bySeverity(): Record<string, number> {
    const rank = (severity: string) => {
      const at = severityRank(severity as Severity);
      return at === -1 ? Number.MAX_SAFE_INTEGER : at;
    };
    const present = [...this.counts].filter(([, count]) => count > 0);
    present.sort(([a], [b]) => rank(a) - rank(b));
    return Object.fromEntries(present);
  }
}
