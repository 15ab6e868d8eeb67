import type { EvaluationOutcome, PolicyEngine } from '@drift-detective/policy-engine';
import type { Resource } from '@drift-detective/resource-model';
import { toFinding, type ScanFinding } from '../finding.js';
import {
  normalizeDocument,
  surveyRange,
  type Normalized,
  type Reading,
  type SkippedRecord,
  type Survey,
  type SurveyRange,
} from '../normalize-inventory.js';
import { readRange, type RecordRange } from '../record-range.js';

/** What evaluating one resource gave: its findings (rules filtered), or why it could not be judged. */
export type Judgement = { readonly findings: ScanFinding[] } | { readonly error: string };

/** What the scan keeps of a judged resource besides its findings. */
export type JudgedResource = Pick<
  Resource,
  'id' | 'provider' | 'account' | 'region' | 'kind' | 'observedAt'
>;

/** What one record came to: a judged resource, or why it was skipped; or its first-pass survey. */
export type Outcome =
  | { readonly resource: JudgedResource; readonly judgement: Judgement }
  | SkippedRecord
  | { readonly survey: Survey };

/** A document of the second pass as its JSON text, to be parsed, normalized and judged. */
export interface DocumentJob {
  readonly source: string;
  readonly text: string;
  /** A whole file, not one NDJSON line or streamed record. */
  readonly wholeFile: boolean;
  /** Indexes of its records the first pass took as context only. */
  readonly contextOnly?: readonly number[] | undefined;
}

/** Records of a streamed input to read again by their spans, then parse, normalize and judge. */
export interface RangeJob extends RecordRange {
  /** By record (0 is `first`), the indexes of its records the first pass took as context only. */
  readonly contextOnly?: readonly (readonly [number, readonly number[]])[] | undefined;
  /** Records (0 is `first`) the first pass judged: not read again. */
  readonly judged?: readonly number[] | undefined;
}

/**
 * Work for an evaluator: a normalized resource, or documents to normalize
 * first; or, in the first pass, records to parse and place.
 */
export type Job =
  | { readonly resource: Resource }
  | { readonly document: DocumentJob }
  | { readonly records: RangeJob }
  | { readonly survey: SurveyRange };

/** How many records a job holds (a range holds several): the measure of a batch. */
export function recordsIn(job: Job): number {
  if ('records' in job) return job.records.spans.length / 2;
  if ('survey' in job) return job.survey.spans.length / 2;
  return 1;
}

/** Everything judging a job needs: the engine, the rules reported, and how documents are read. */
export interface Judge {
  readonly engine: PolicyEngine;
  readonly includeRule: (ruleId: string) => boolean;
  readonly reading: Reading;
}

/**
 * The findings of one evaluation, of the rules the scan reports. A policy
 * failure is the resource's judgement (it is listed as skipped), never an
 * empty list.
 */
function judgementOf(outcome: EvaluationOutcome<Resource>, by: Judge): Judgement {
  if (!outcome.ok) return { error: outcome.error.message };
  return {
    findings: outcome.violations
      .filter((v) => by.includeRule(v.ruleId))
      .map((v) => toFinding(outcome.resource, v)),
  };
}

/** A record's outcome, or its resource still to be judged. */
type Step = Outcome | { readonly toJudge: Resource };

/** A normalized record as a step: its resource to judge, or why it was skipped. */
const stepOf = (item: Normalized): Step => ('resource' in item ? { toJudge: item.resource } : item);

/** A parsed document's records, normalized. */
function documentSteps(document: DocumentJob, value: unknown, by: Judge): Step[] {
  const { source, wholeFile, contextOnly } = document;
  return normalizeDocument({ source, value }, wholeFile, contextOnly, by.reading).map(stepOf);
}

/**
 * A range's records, read again by their spans. The first pass parsed each
 * of them: one that is not JSON now, or is not there, means the file changed
 * since, and is skipped with that said (the scan is then incomplete).
 */
function rangeSteps(range: RangeJob, by: Judge): Step[] {
  const contextOnly = new Map(range.contextOnly);
  const steps: Step[] = [];
  for (const [k, record] of readRange(range, new Set(range.judged)).entries()) {
    if (record === undefined) continue;
    const { source } = record;
    if ('error' in record) {
      steps.push({ skipped: { input: source, reason: record.error } });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(record.text);
    } catch {
      steps.push({
        skipped: { input: source, reason: 'the file changed since it was first read' },
      });
      continue;
    }
    const document = {
      source,
      text: record.text,
      wholeFile: false,
      contextOnly: contextOnly.get(k),
    };
    steps.push(...documentSteps(document, value, by));
  }
  return steps;
}

/** What a job comes to before judging. A document that does not parse gives nothing: the first pass reported it. */
function jobSteps(job: Job, by: Judge): Step[] {
  if ('resource' in job) return [{ toJudge: job.resource }];
  if ('records' in job) return rangeSteps(job.records, by);
  if ('survey' in job) return surveySteps(job.survey, by.reading);
  let value: unknown;
  try {
    value = JSON.parse(job.document.text);
  } catch {
    return [];
  }
  return documentSteps(job.document, value, by);
}

/**
 * A first-pass range's surveys, in order, each followed by the resources of
 * its record when they could be normalized in this pass (to be judged now).
 */
function surveySteps(range: SurveyRange, reading: Reading): Step[] {
  return surveyRange(range, reading).flatMap(({ survey, normalized }) => [
    { survey },
    ...(normalized ?? []).map(stepOf),
  ]);
}

/**
 * What each job comes to, in the order of its records. Every resource of the
 * jobs is judged in one `evaluateMany`, which makes one call into the policy
 * for many resources.
 */
export function judgeJobs(jobs: readonly Job[], by: Judge): Outcome[][] {
  const steps = jobs.map((job) => jobSteps(job, by));
  const toJudge = steps.flatMap((list) =>
    list.flatMap((step) => ('toJudge' in step ? [step.toJudge] : [])),
  );
  const evaluations = by.engine.evaluateMany(toJudge);
  let next = 0;
  return steps.map((list) =>
    list.map((step) => {
      if (!('toJudge' in step)) return step;
      const evaluation = evaluations[next++] as EvaluationOutcome<Resource>;
      const { id, provider, account, region, kind, observedAt } = step.toJudge;
      return {
        resource: { id, provider, account, region, kind, observedAt },
        judgement: judgementOf(evaluation, by),
      };
    }),
  );
}

/** What one job comes to, in the order of its records. */
export function judgeJob(job: Job, by: Judge): Outcome[] {
  return judgeJobs([job], by)[0] ?? [];
}
