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

/** Accumulates the scope a scan actually read: providers, accounts, regions and kinds seen. */
export class ScopeTracker {
  private readonly scopes = new Map<
    string,
    { accounts: Set<string>; regions: Set<string>; kinds: Set<string> }
  >();

  see(resource: { provider: string; account: string; region: string | null; kind: string }): void {
    let scope = this.scopes.get(resource.provider);
    if (!scope) {
      scope = { accounts: new Set(), regions: new Set(), kinds: new Set() };
      this.scopes.set(resource.provider, scope);
    }
    scope.accounts.add(resource.account);
    scope.regions.add(resource.region ?? '');
    scope.kinds.add(resource.kind);
  }

  covered(): CoveredScope[] {
    return [...this.scopes].map(([provider, s]) => ({
      provider,
      accounts: s.accounts,
      regions: s.regions,
      kinds: s.kinds,
    }));
  }
}
