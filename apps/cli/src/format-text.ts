import type { EvaluableResource, Violation } from '@drift-detective/policy-engine';
import { findingBlock } from './format/finding-block.js';

export interface ResourceReport {
  readonly resource: EvaluableResource;
  readonly violations: readonly Violation[];
}

/** Human-readable findings: one block per violation, causes listed under it. */
export function formatText(reports: readonly ResourceReport[]): string {
  const lines: string[] = [];
  for (const { resource, violations } of reports) {
    const text = (key: string) =>
      typeof resource[key] === 'string' && resource[key] !== '' ? resource[key] : undefined;
    for (const v of violations) {
      lines.push(
        ...findingBlock({
          ...v,
          resourceId: resource.id,
          resourceType: text('nativeType'),
          account: text('account'),
          region: text('region'),
        }),
      );
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
