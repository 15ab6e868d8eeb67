import type { EvaluableResource, Violation } from '@drift-detective/policy-engine';

export interface ResourceReport {
  readonly resource: EvaluableResource;
  readonly violations: readonly Violation[];
}

function describeResource(resource: EvaluableResource): string {
  const where = [resource['nativeType'], resource['account'], resource['region']].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return where.length > 0 ? `${resource.id} (${where.join(', ')})` : resource.id;
}

/** Human-readable findings: one block per violation, causes listed under it. */
export function formatText(reports: readonly ResourceReport[]): string {
  const lines: string[] = [];
  for (const { resource, violations } of reports) {
    for (const v of violations) {
      lines.push(`${v.severity.padEnd(8)} ${v.ruleId}  ${v.title}`);
      lines.push(`  resource: ${describeResource(resource)}`);
      lines.push(`  ${v.message}`);
      const causes = v.details['causes'];
      if (Array.isArray(causes)) for (const cause of causes) lines.push(`    - ${String(cause)}`);
      if (v.remediation) lines.push(`  fix: ${v.remediation}`);
      lines.push('');
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** Counts findings by severity in the catalog's order. */
export function summarize(reports: readonly ResourceReport[]) {
  const bySeverity: Record<string, number> = {};
  let findings = 0;
  let affected = 0;
  for (const { violations } of reports) {
    if (violations.length > 0) affected++;
    for (const v of violations) {
      findings++;
      bySeverity[v.severity] = (bySeverity[v.severity] ?? 0) + 1;
    }
  }
  return { resources: reports.length, affected, findings, bySeverity };
}
