import type { ScanResult } from '../scan/scan.js';

/** Human-readable findings: one block per finding, its causes under it, then a summary. */
export function formatTable(result: ScanResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    const state = [f.status !== 'ACTIVE' ? f.status : '', f.transition ?? ''].filter(
      (t) => t !== '',
    );
    lines.push(
      `${f.severity.padEnd(8)} ${f.ruleId}  ${f.title}${state.length ? `  [${state.join(', ')}]` : ''}`,
    );
    const where = [f.resourceType, f.account, f.region].filter((p): p is string => !!p).join(', ');
    lines.push(`  resource: ${f.resourceId} (${where})`);
    lines.push(`  ${f.message}`);
    const causes = f.details['causes'];
    if (Array.isArray(causes) && !(causes.length === 1 && causes[0] === f.message)) {
      for (const cause of causes) lines.push(`    - ${String(cause)}`);
    }
    if (f.waiver)
      lines.push(`  waived until ${f.waiver.expires} by ${f.waiver.owner}: ${f.waiver.reason}`);
    if (f.remediation && f.status === 'ACTIVE') lines.push(`  fix: ${f.remediation}`);
    lines.push('');
  }
  const { summary } = result;
  const severities = Object.entries(summary.bySeverity)
    .map(([severity, count]) => `${severity} ${count}`)
    .join(', ');
  lines.push(
    `${summary.findings} finding(s)${severities ? ` (${severities})` : ''} on ${summary.resources} resource(s), ` +
      `${summary.evaluated} evaluated, ${summary.skipped.length} skipped.`,
  );
  for (const s of summary.skipped) lines.push(`  skipped ${s.input}: ${s.reason}`);
  return lines.map((line) => `${line}\n`).join('');
}
