import { createHash } from 'node:crypto';
import type { FindingStatus } from './finding.js';

/** JSON with object keys sorted, so equal content hashes equally whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a hub shows of a finding; a change here is an "updated" transition worth publishing. */
export function contentHash(content: {
  readonly status: FindingStatus;
  readonly severity: string;
  readonly title: string;
  readonly message: string;
  readonly details: unknown;
  readonly waived: boolean;
}): string {
  return createHash('sha256').update(canonical(content)).digest('hex').slice(0, 32);
}
