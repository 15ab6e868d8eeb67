import { toAsff } from '@drift-detective/provider-aws/cli';
import type { ScanResult } from '../scan/scan.js';
import { prettyJsonPieces } from './pretty-json.js';

/**
 * A JSON array ready for `aws securityhub batch-import-findings --findings file://…`
 * (in batches of 100). The ASFF mapping is the Security Hub publisher's own
 * (provider-aws, securityhub/asff.ts), so the file and the publisher send the
 * same findings. Only AWS resources can be Security Hub findings; others are
 * left out.
 */
export function formatAsffPieces(
  result: ScanResult,
  now: string,
  defaultRegion: string,
): Iterable<string> {
  return prettyJsonPieces(
    (hole) => hole,
    (function* () {
      for (const f of result.findings) {
        if (f.provider === 'aws') yield toAsff(f, { now, homeRegion: defaultRegion });
      }
    })(),
  );
}

export function formatAsff(result: ScanResult, now: string, defaultRegion: string): string {
  return [...formatAsffPieces(result, now, defaultRegion)].join('');
}
