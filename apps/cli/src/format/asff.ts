import { toAsff } from '@drift-detective/provider-aws';
import type { ScanResult } from '../scan/scan.js';

/**
 * A JSON array ready for `aws securityhub batch-import-findings --findings file://…`
 * (in batches of 100). The ASFF mapping is the Security Hub publisher's own
 * (provider-aws, securityhub/asff.ts), so the file and the publisher send the
 * same findings. Only AWS resources can be Security Hub findings; others are
 * left out.
 */
export function formatAsff(result: ScanResult, now: string, defaultRegion: string): string {
  const findings = result.findings
    .filter((f) => f.provider === 'aws')
    .map((f) => toAsff(f, { now, homeRegion: defaultRegion }));
  return `${JSON.stringify(findings, null, 2)}\n`;
}
