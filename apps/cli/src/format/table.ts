import { printable } from '@drift-detective/pipeline';
import type { ScanResult } from '../scan/scan.js';
import { findingBlock } from './finding-block.js';

/** Human-readable findings: one block per finding, its causes under it, then a summary. */
export function* formatTablePieces(result: ScanResult): Generator<string> {
  // Names and messages come from the inputs: nothing in them reaches the terminal raw.
  const printed = (lines: readonly string[]) =>
    lines.map((line) => `${printable(line)}\n`).join('');
  let blocks: string[] = [];
  for (const f of result.findings) {
    blocks.push(printed(findingBlock(f)));
    if (blocks.length === 256) {
      yield blocks.join('');
      blocks = [];
    }
  }
  yield blocks.join('');
  const lines: string[] = [];
  const { summary } = result;
  const severities = Object.entries(summary.bySeverity)
    .map(([severity, count]) => `${severity} ${count}`)
    .join(', ');
  lines.push(
    `${summary.findings} finding(s)${severities ? ` (${severities})` : ''} on ${summary.resources} resource(s), ` +
      `${summary.evaluated} evaluated, ${summary.skipped.length} skipped.`,
  );
  for (const s of summary.skipped) lines.push(`  skipped ${s.input}: ${s.reason}`);
  yield printed(lines);
}

export function formatTable(result: ScanResult): string {
  return [...formatTablePieces(result)].join('');
}
