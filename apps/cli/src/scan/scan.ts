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

/** The latest observed state of one resource and the findings it produced. */
interface Observation {
  readonly observedAt: string;
  readonly findings: ScanFinding[];
}

/**
 * Scans native inventories offline: normalize, evaluate, keep one finding per
 * (rule, resource) from the resource's latest state. A record that cannot be
 * read or evaluated is listed in `skipped`, never counted as compliant.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const skipped: Skipped[] = [];
  const observations = new Map<string, Observation>();
  const resourceIds = new Set<string>();
  let evaluated = 0;

  function evaluate(resource: Resource): void {
    resourceIds.add(resource.id);
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
    const previous = observations.get(resource.id);
    // A history file holds several states of one resource: the latest one decides.
    if (!previous || previous.observedAt <= resource.observedAt) {
      observations.set(resource.id, { observedAt: resource.observedAt, findings });
    }
  }

  for await (const item of normalizeInventory(options)) {
    if ('skipped' in item) skipped.push(item.skipped);
    else evaluate(item.resource);
  }

  const findings = [...observations.values()]
    .flatMap((o) => o.findings)
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
      resources: resourceIds.size,
      evaluated,
      findings: findings.length,
      bySeverity,
      skipped,
    },
  };
}
