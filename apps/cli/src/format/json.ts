import type { ScanResult } from '../scan/scan.js';

/** The documented JSON output: {findings: [...], summary: {...}}. */
export function formatJson(result: ScanResult): string {
  const findings = result.findings.map(
    ({ observedAt: _observedAt, tags: _tags, change: _change, contentHash: _hash, ...finding }) =>
      finding,
  );
  return `${JSON.stringify({ findings, summary: result.summary }, null, 2)}\n`;
}
