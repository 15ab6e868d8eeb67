import { PolicyEngineError, type PolicyEngine } from '@drift-detective/policy-engine';
import type { Resource } from '@drift-detective/resource-model';
import { toFinding, type ScanFinding } from '../finding.js';

/** What evaluating one resource gave: its findings (rules filtered), or why it could not be judged. */
export type Judgement = { readonly findings: ScanFinding[] } | { readonly error: string };

/**
 * Evaluates one resource and keeps the findings of the rules the scan
 * reports. A policy failure is the resource's judgement (it is listed as
 * skipped), never an empty list; any other error is a fault and throws.
 */
export function judge(
  engine: PolicyEngine,
  resource: Resource,
  includeRule: (ruleId: string) => boolean,
): Judgement {
  try {
    return {
      findings: engine
        .evaluate(resource)
        .filter((v) => includeRule(v.ruleId))
        .map((v) => toFinding(resource, v)),
    };
  } catch (error) {
    if (!(error instanceof PolicyEngineError)) throw error;
    return { error: error.message };
  }
}
