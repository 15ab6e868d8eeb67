import type { ScanResult } from '../scan/scan.js';
import { prettyJsonPieces } from './pretty-json.js';

/** The documented JSON output, {findings: [...], summary: {...}}, in pieces as it is written. */
export function formatJsonPieces(result: ScanResult): Iterable<string> {
  return prettyJsonPieces(
    (hole) => ({ findings: hole, summary: result.summary }),
    (function* () {
      for (const f of result.findings) {
        const {
          observedAt: _observedAt,
          tags: _tags,
          change: _change,
          contentHash: _hash,
          ...finding
        } = f;
        yield finding;
      }
    })(),
  );
}

/** The documented JSON output as one string. */
export function formatJson(result: ScanResult): string {
  return [...formatJsonPieces(result)].join('');
}
