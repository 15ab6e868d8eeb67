import { findingId } from '@drift-detective/findings';
import type { Violation } from '@drift-detective/policy-engine';
import type { Resource } from '@drift-detective/resource-model';

/** One finding as `scan` reports it: the JSON output contract. */
export interface ScanFinding {
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Violation['severity'];
  readonly status: 'ACTIVE';
  readonly provider: string;
  readonly account: string;
  readonly region: string | null;
  readonly resourceId: string;
  readonly resourceName: string;
  readonly resourceType: string;
  readonly kind: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly frameworks: Violation['frameworks'];
  readonly remediation: string;
  /** When the violating state was observed. */
  readonly observedAt: string;
}

export function toFinding(resource: Resource, violation: Violation): ScanFinding {
  return {
    id: findingId({
      provider: resource.provider,
      account: resource.account,
      resourceId: resource.id,
      ruleId: violation.ruleId,
    }),
    ruleId: violation.ruleId,
    title: violation.title,
    severity: violation.severity,
    status: 'ACTIVE',
    provider: resource.provider,
    account: resource.account,
    region: resource.region,
    resourceId: resource.id,
    resourceName: resource.name,
    resourceType: resource.nativeType,
    kind: resource.kind,
    message: violation.message,
    details: violation.details,
    frameworks: violation.frameworks,
    remediation: violation.remediation,
    observedAt: resource.observedAt,
  };
}
