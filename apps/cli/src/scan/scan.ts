import { PolicyEngineError, type PolicyEngine } from '@drift-detective/policy-engine';
import { ScopeTracker } from '@drift-detective/findings';
import { type Resource } from '@drift-detective/resource-model';
import { compareFindings, countBySeverity, toFinding, type ScanFinding } from './finding.js';
import { normalizeInventory, type NormalizeOptions, type Skipped } from './normalize-inventory.js';

export type { Skipped } from './normalize-inventory.js';

export interface ScanOptions extends NormalizeOptions {
  readonly engine: PolicyEngine;
  readonly includeRule: (ruleId: string) => boolean;
  /** The waiver that suppresses a finding now, if any. */
  readonly waiverFor?: ((finding: ScanFinding) => ScanFinding['waiver']) | undefined;
}

/** What a resource evaluated in this scan was, for reconciling the state afterwards. */
export interface ObservedResource {
  readonly provider: string;
  readonly account: string;
  readonly observedAt: string;
}

/** What the scan read, beyond its findings: the input to --state. */
export interface ScanCoverage {
  /** Every resource evaluated, by id, at its latest state. */
  readonly observed: ReadonlyMap<string, ObservedResource>;
  /** Resources the input says were deleted after their latest state in it (or never seen in it). */
  readonly deleted: readonly { readonly provider: string; readonly resourceId: string }[];
  /** Providers, accounts, regions and kinds the scan read. */
  readonly scopes: ScopeTracker;
  /**
   * False when any record could not be read or evaluated: such a scan cannot
   * tell a deleted resource from an unread one, so it resolves nothing as deleted.
   */
  readonly complete: boolean;
}

export interface ScanResult {
  readonly findings: ScanFinding[];
  readonly coverage: ScanCoverage;
  readonly summary: {
    /** Distinct native resources read (records of one resource count once). */
    readonly resources: number;
    /** Resource states evaluated by the policy bundle. */
    readonly evaluated: number;
    readonly findings: number;
    readonly bySeverity: Record<string, number>;
    readonly skipped: Skipped[];
  };
}

/**
 * A copy of `text` that shares no memory with it. Strings cut from a larger one
 * (parser chunks, JSON text) can keep that whole larger string alive; what the
 * scan keeps per resource must not (measured: ~1.8 KB per resource otherwise).
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/**
 * Scans native inventories offline: normalize, evaluate, keep one finding per
 * (rule, resource) from the resource's latest state. A record that cannot be
 * read or evaluated is listed in `skipped`, never counted as compliant.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const skipped: Skipped[] = [];
  // Per distinct resource only its id and the time of its latest state are kept
  // (to count resources and to judge each on its latest state); findings only for
  // resources that have some. Memory grows with the number of resources, never
  // with the size of the records.
  const latest = new Map<string, ObservedResource>();
  const findingsOf = new Map<string, ScanFinding[]>();
  const deletions = new Map<
    string,
    { provider: string; resourceId: string; deletedAt: string | undefined }
  >();
  const scopes = new ScopeTracker();
  let unread = 0;
  let evaluated = 0;

  function evaluate(resource: Resource): void {
    let findings: ScanFinding[];
    try {
      findings = options.engine
        .evaluate(resource)
        .filter((v) => options.includeRule(v.ruleId))
        .map((v) => toFinding(resource, v));
    } catch (error) {
      if (!(error instanceof PolicyEngineError)) throw error;
      skipped.push({ input: resource.id, reason: error.message });
      unread++;
      return;
    }
    if (options.waiverFor) {
      findings = findings.map((f) => {
        const waiver = options.waiverFor?.(f);
        return waiver ? { ...f, status: 'SUPPRESSED' as const, waiver } : f;
      });
    }
    evaluated++;
    scopes.see(resource);
    const id = detached(resource.id);
    const previous = latest.get(id);
    // A history file holds several states of one resource: the latest one decides.
    if (previous !== undefined && previous.observedAt > resource.observedAt) return;
    latest.set(id, {
      provider: resource.provider,
      account: detached(resource.account),
      observedAt: detached(resource.observedAt),
    });
    // A JSON round trip gives the kept findings strings of their own.
    if (findings.length > 0)
      findingsOf.set(id, JSON.parse(JSON.stringify(findings)) as ScanFinding[]);
    else findingsOf.delete(id);
  }

  for await (const item of normalizeInventory(options)) {
    if ('resource' in item) evaluate(item.resource);
    else if (item.deleted) {
      // Listed, so the report shows it, but not unread: a deletion is news, not a gap.
      skipped.push(item.skipped);
      const { provider, resourceId, deletedAt } = item.deleted;
      const previous = deletions.get(resourceId);
      if (!previous || (deletedAt ?? '') > (previous.deletedAt ?? '')) {
        deletions.set(resourceId, { provider, resourceId: detached(resourceId), deletedAt });
      }
    } else {
      skipped.push(item.skipped);
      unread++;
    }
  }

  // A deletion after a resource's latest state (or of one never seen) ends it: no finding
  // from the state before. A deletion without a time counts only for resources not seen.
  const deleted: { provider: string; resourceId: string }[] = [];
  for (const deletion of deletions.values()) {
    const state = latest.get(deletion.resourceId);
    const after =
      state === undefined ||
      (deletion.deletedAt !== undefined && deletion.deletedAt > state.observedAt);
    if (!after) continue;
    latest.delete(deletion.resourceId);
    findingsOf.delete(deletion.resourceId);
    deleted.push({ provider: deletion.provider, resourceId: deletion.resourceId });
  }
  const findings = [...findingsOf.values()].flat().sort(compareFindings);
  const bySeverity = countBySeverity(findings);
  return {
    findings,
    coverage: { observed: latest, deleted, scopes, complete: unread === 0 },
    summary: {
      resources: latest.size,
      evaluated,
      findings: findings.length,
      bySeverity,
      skipped,
    },
  };
}
