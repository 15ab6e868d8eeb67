import { printable } from '@drift-detective/pipeline';
import type { ScanResult } from '../scan/scan.js';
import { findingBlock } from './finding-block.js';

/** Human-readable findings: one block per finding, its causes under it, then a summary. */
export function formatTable(result: ScanResult): string {
  const lines: string[] = [];
  for (const f of result.findings) lines.push(...findingBlock(f));
  const { summary } = result;
  const severities = Object.entries(summary.bySeverity)
    .map(([severity, count]) => `${severity} ${count}`)
    .join(', ');
  lines.push(
    `${summary.findings} finding(s)${severities ? ` (${severities})` : ''} on ${summary.resources} resource(s), ` +
      `${summary.evaluated} evaluated, ${summary.skipped.length} skipped.`,
  );
  for (const s of summary.skipped) lines.push(`  skipped ${s.input}: ${s.reason}`);
  // Names and messages come from the inputs: nothing in them reaches the terminal raw.
  return lines.map((line) => `${printable(line)}\n`).join('');
}
