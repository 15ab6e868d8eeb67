import {
  reconcileResource,
  resolve,
  type FindingRecord,
  type Observation,
  type WaiverRef,
} from '@drift-detective/findings';
import { toObservation } from '@drift-detective/pipeline';
import { builtPolicyEngine } from '@drift-detective/testing';
import { native, normalizeOne } from '../helpers.js';

/** The violations a native fixture has under the built policy bundle, as the pipeline observes them. */
export async function observationsOf(fixture: string): Promise<Observation[]> {
  const engine = await builtPolicyEngine();
  const resource = normalizeOne(native(fixture), fixture);
  return engine.evaluate(resource).map((violation) => toObservation(resource, violation));
}

/** The one violation of a fixture. */
export async function observationOf(fixture: string): Promise<Observation> {
  const [observation, ...rest] = await observationsOf(fixture);
  if (!observation || rest.length > 0) throw new Error(`${fixture}: expected one violation`);
  return observation;
}

function reconcileOne(
  observation: Observation | undefined,
  stored: readonly FindingRecord[],
  ruleId: string,
  resource: FindingRecord | Observation,
  now: string,
  waiver?: WaiverRef,
): FindingRecord {
  const [event] = reconcileResource({
    resource: {
      provider: resource.provider,
      account: resource.account,
      resourceId: resource.resourceId,
    },
    observations: observation ? [observation] : [],
    stored,
    judgedRules: new Set([ruleId]),
    bundleRules: new Set([ruleId]),
    now,
    waiverFor: () => waiver,
  });
  if (!event) throw new Error('reconcile made no transition');
  return event.finding;
}

/** A new ACTIVE finding, as the first reconcile of a violation makes it. */
export function newFinding(observation: Observation, now: string): FindingRecord {
  return reconcileOne(observation, [], observation.ruleId, observation, now);
}

/** A new SUPPRESSED finding: the violation under a waiver. */
export function suppressedFinding(observation: Observation, now: string): FindingRecord {
  return reconcileOne(observation, [], observation.ruleId, observation, now, {
    rule: observation.ruleId,
    reason: 'accepted risk',
    owner: 'platform-team',
    expires: '2027-12-31',
  });
}

/** The finding once its resource complies again. */
export function resolvedFinding(stored: FindingRecord, now: string): FindingRecord {
  const event = resolve(stored, 'compliant', now);
  if (!event) throw new Error('the finding was not open');
  return event.finding;
}

/** The finding once the violation is back after it resolved. */
export function reopenedFinding(
  stored: FindingRecord,
  observation: Observation,
  now: string,
): FindingRecord {
  return reconcileOne(observation, [stored], stored.ruleId, stored, now);
}

/** n distinct findings of one rule: the same violation on n resources. */
export function manyFindings(observation: Observation, n: number, now: string): FindingRecord[] {
  return Array.from({ length: n }, (_, i) =>
    newFinding({ ...observation, resourceId: `${observation.resourceId}-${i}` }, now),
  );
}
