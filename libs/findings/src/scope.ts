import type { FindingRecord } from './finding.js';

/**
 * What a sweep or a scan covered. Only findings inside a scope it completed
 * can resolve as deleted: an input covering one account never resolves
 * another account's findings, a single-region snapshot never resolves other
 * regions, a file of buckets never resolves firewalls.
 */
export interface CoveredScope {
  readonly provider: string;
  /** null: every account of the provider. */
  readonly accounts: ReadonlySet<string> | null;
  /** null: every region; "" stands for resources without a region. */
  readonly regions: ReadonlySet<string> | null;
  /** null: every kind. */
  readonly kinds: ReadonlySet<string> | null;
}

export function inScope(scope: CoveredScope, finding: FindingRecord): boolean {
  return (
    finding.provider === scope.provider &&
    (scope.accounts === null || scope.accounts.has(finding.account)) &&
    (scope.regions === null || scope.regions.has(finding.region ?? '')) &&
    (scope.kinds === null || scope.kinds.has(finding.kind))
  );
}

/**
 * Accumulates the scope a scan actually read, as the exact (provider, account,
 * region, kind) combinations seen — not their cross product: reading account
 * A's firewalls and account B's buckets covers neither A's buckets nor B's
 * firewalls.
 */
export class ScopeTracker {
  private readonly seen = new Map<string, CoveredScope>();

  see(resource: { provider: string; account: string; region: string | null; kind: string }): void {
    const region = resource.region ?? '';
    const key = JSON.stringify([resource.provider, resource.account, region, resource.kind]);
    if (this.seen.has(key)) return;
    this.seen.set(key, {
      provider: resource.provider,
      accounts: new Set([resource.account]),
      regions: new Set([region]),
      kinds: new Set([resource.kind]),
    });
  }

  /** One scope per combination read. */
  covered(): CoveredScope[] {
    return [...this.seen.values()];
  }
}
