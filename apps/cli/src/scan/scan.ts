import { PolicyEngineError, type PolicyEngine } from '@drift-detective/policy-engine';
import type { Resource } from '@drift-detective/resource-model';
import { toFinding, type ScanFinding } from './finding.js';
import { normalizeInventory, type NormalizeOptions, type Skipped } from './normalize-inventory.js';
import { severityRank } from './rule-filter.js';

export type { Skipped } from './normalize-inventory.js';

export interface ScanOptions extends NormalizeOptions {
  readonly engine: PolicyEngine;
  readonly includeRule: (ruleId: string) => boolean;
}

export interface ScanResult {
  readonly findings: ScanFinding[];
  readonly summary: {
    /** Distinct native resources read (records of one resource count once). */
    readonly resources: number;
    /** Resource states evaluated by the policy bundle. */
    readonly evaluated: number;
    readonly findings: number;
    readonly bySeverity: Record<string, number>;
    readonly skipped: Skipped[];
  };
}

/**
 * A copy of `text` that shares no memory with it. Strings cut from a larger one
 * (parser chunks, JSON text) can keep that whole larger string alive; what the
 * scan keeps per resource must not (measured: ~1.8 KB per resource otherwise).
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/**
 * Scans native inventories offline: normalize, evaluate, keep one finding per
 * (rule, resource) from the resource's latest state. A record that cannot be
 * read or evaluated is listed in `skipped`, never counted as compliant.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const skipped: Skipped[] = [];
  // Per distinct resource only its id and the time of its latest state are kept
  // (to count resources and to judge each on its latest state); findings only for
  // resources that have some. Memory grows with the number of resources, never
  // with the size of the records.
  const latest = new Map<string, string>();
  const findingsOf = new Map<string, ScanFinding[]>();
  let evaluated = 0;

  function evaluate(resource: Resource): void {
    let findings: ScanFinding[];
    try {
      findings = options.engine
        .evaluate(resource)
        .filter((v) => options.includeRule(v.ruleId))
        .map((v) => toFinding(resource, v));
    } catch (error) {
      if (!(error instanceof PolicyEngineError)) throw error;
      skipped.push({ input: resource.id, reason: error.message });
      return;
    }
    evaluated++;
    const id = detached(resource.id);
    const previous = latest.get(id);
    // A history file holds several states of one resource: the latest one decides.
    if (previous !== undefined && previous > resource.observedAt) return;
    latest.set(id, detached(resource.observedAt));
    // A JSON round trip gives the kept findings strings of their own.
    if (findings.length > 0)
      findingsOf.set(id, JSON.parse(JSON.stringify(findings)) as ScanFinding[]);
    else findingsOf.delete(id);
  }

  for await (const item of normalizeInventory(options)) {
    if ('skipped' in item) skipped.push(item.skipped);
    else evaluate(item.resource);
  }

  const findings = [...findingsOf.values()]
    .flat()
    .sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        a.ruleId.localeCompare(b.ruleId) ||
        a.resourceId.localeCompare(b.resourceId),
    );
  const bySeverity: Record<string, number> = {};
  for (const finding of findings)
    bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
  return {
    findings,
    summary: {
      resources: latest.size,
      evaluated,
      findings: findings.length,
      bySeverity,
      skipped,
    },
  };
}
