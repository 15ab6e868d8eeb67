import type { Writable } from 'node:stream';
import type { FindingRecord } from '@drift-detective/findings';
import type { Publisher } from '../interfaces.js';

/** One published finding as a JSON line: what a hub would show, and the transition sent. */
export function findingLine(finding: FindingRecord): string {
  return JSON.stringify({
    id: finding.id,
    ruleId: finding.ruleId,
    status: finding.status,
    transition: finding.pendingTransition,
    severity: finding.severity,
    title: finding.title,
    resourceId: finding.resourceId,
    resourceType: finding.resourceType,
    kind: finding.kind,
    account: finding.account,
    region: finding.region,
    provider: finding.provider,
    message: finding.message,
    resolution: finding.resolution,
    waiver: finding.waiver,
    firstSeen: finding.firstSeen,
    lastChanged: finding.lastChanged,
    contentHash: finding.contentHash,
  });
}

/**
 * The built-in publisher: one JSON line per finding to a stream (a file, stdout).
 * Each batch is one write whose callback is awaited, so a failed write throws
 * and the findings stay pending. Re-sending a line is harmless: readers key on id.
 */
export class JsonLinesPublisher implements Publisher {
  constructor(private readonly out: Writable) {
    // A failed write reaches its callback and throws from publish; without a
    // listener the stream's 'error' event would also crash the process.
    out.on('error', () => undefined);
  }

  async publish(batch: readonly FindingRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const text = batch.map((f) => `${findingLine(f)}\n`).join('');
    await new Promise<void>((resolve, reject) => {
      this.out.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }
}

/**
 * The publisher of an adapter: its cloud's hub, or for a dry run JSON lines
 * to `out` (the hub is then never built, so no credentials are asked for).
 */
export function hubOrDryRun(dryRun: boolean, out: Writable, hub: () => Publisher): Publisher {
  return dryRun ? new JsonLinesPublisher(out) : hub();
}
