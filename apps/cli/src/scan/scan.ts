import { stat } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { ScopeTracker } from '@drift-detective/findings';
import { compareFindings, SeverityTally, type ScanFinding } from './finding.js';
import { readDocuments, readNdjsonTexts } from './documents.js';
import { adaptiveEvaluator } from './evaluation/evaluator.js';
import { BATCH_RECORDS, type Evaluator } from './evaluation/evaluator.js';
import type { Outcome, RangeJob } from './evaluation/judge.js';
import {
  firstPass,
  leftovers,
  normalizeDocument,
  PROGRESS_EVERY,
  normalizesOffThread,
  readingFor,
  type FirstPass,
  type Survey,
  type NormalizeOptions,
  type Skipped,
} from './normalize-inventory.js';
import type { InputFile } from './inputs.js';
import type { RecordSet } from './record-set.js';
import { SpanLog } from './spill/span-log.js';
import type { ScanWorkspace } from './spill/scan-workspace.js';
import { SortedSpill } from './spill/sorted-spill.js';
import { UsageError } from '../usage.js';

export type { Skipped } from './normalize-inventory.js';

export interface ScanOptions extends NormalizeOptions {
  readonly engine: PolicyEngine;
  readonly includeRule: (ruleId: string) => boolean;
  /** The waiver that suppresses a finding now, if any. */
  readonly waiverFor?: ((finding: ScanFinding) => ScanFinding['waiver']) | undefined;
  /** Where the scan keeps what it read; the caller closes it after the report. */
  readonly workspace: ScanWorkspace;
  /**
   * Keep each resource's findings for reconciling a state (--state), which
   * reports what the state holds; without it they are kept in report order.
   */
  readonly forState?: boolean | undefined;
  /** Findings sorted in memory before a run of them goes to disk (tests make it small). */
  readonly runSize?: number | undefined;
  /**
   * Threads that normalize and evaluate: 1 works in this thread; more start a
   * pool of worker threads, each with an engine of its own (only from the
   * built CLI).
   */
  readonly threads?: number | undefined;
  /** Records judged in this thread before the pool starts (default POOL_AFTER). */
  readonly poolAfter?: number | undefined;
  /** Aborted by SIGTERM or Ctrl-C: the scan stops before its next record. */
  readonly signal?: AbortSignal | undefined;
}

/** A scan stopped by a signal: one line, exit 2, nothing reported. */
export class ScanStoppedError extends UsageError {
  constructor(signal: AbortSignal) {
    super(
      `scan stopped by ${String(signal.reason)} before its end: its report is incomplete ` +
        'and nothing was marked reported',
      { showUsage: false },
    );
  }
}

/** Throws ScanStoppedError once `signal` is aborted. */
export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ScanStoppedError(signal);
}

/**
 * A point where a long run of synchronous work (SQLite, the report) lets the
 * event loop turn, so that a signal that came is seen, then stops if it was
 * SIGTERM or Ctrl-C.
 */
export async function stopPoint(signal: AbortSignal | undefined): Promise<void> {
  await setImmediate();
  stopIfAborted(signal);
}

/** What the scan read, beyond its findings: the input to --state. */
export interface ScanCoverage {
  /** Every resource evaluated at its latest state, the deletions, and (forState) their findings. */
  readonly states: ScanWorkspace;
  /** Providers, accounts, regions and kinds the scan read. */
  readonly scopes: ScopeTracker;
  /**
   * False when any record could not be read or evaluated: such a scan cannot
   * tell a deleted resource from an unread one, so it resolves nothing as deleted.
   */
  readonly complete: boolean;
}

export interface ScanSummary {
  /** Distinct native resources read (records of one resource count once). */
  readonly resources: number;
  /** Resource states evaluated by the policy bundle. */
  readonly evaluated: number;
  /** Open findings (not RESOLVED). */
  readonly findings: number;
  readonly bySeverity: Record<string, number>;
  readonly skipped: Skipped[];
}

export interface ScanResult {
  /**
   * The findings in report order. Many are read back from disk as they are
   * iterated: go through them, do not hold them. Each iteration reads anew.
   */
  readonly findings: Iterable<ScanFinding>;
  readonly coverage: ScanCoverage;
  readonly summary: ScanSummary;
}

/**
 * Inputs of this many bytes (about 2,500 AWS Config items) start the pool of
 * threads with their first record: a streamed input's first pass then runs
 * on them while they load the policy, and no input waits for them after it.
 */
const POOL_AT_ONCE_BYTES = 4 * 1024 * 1024;

/** 0 (start the pool at once) for large inputs; else the evaluator's default. */
async function poolAfterFor(inputs: readonly InputFile[]): Promise<number | undefined> {
  let bytes = 0;
  // One that cannot be read counts nothing here: the first pass names it.
  for (const input of inputs) bytes += (await stat(input.path).catch(() => ({ size: 0 }))).size;
  return bytes >= POOL_AT_ONCE_BYTES ? 0 : undefined;
}

/**
 * Whether an input's documents may be normalized on another thread: every
 * cloud they were placed with normalizes from a read-only context (one whose
 * normalizer marks what it used, GCP's IAM_POLICY records, stays here).
 */
function normalizedOffThread(first: FirstPass, input: InputFile): boolean {
  const placedWith = first.providers.get(input) ?? new Set();
  return [...placedWith].every((provider) => normalizesOffThread(first.reading, provider));
}

/**
 * A streamed input's records, a batch at a time, by the spans the first
 * pass kept: nothing of the file is read here.
 */
async function pushRanges(
  evaluator: Evaluator,
  input: InputFile,
  spans: SpanLog,
  first: FirstPass,
  signal: AbortSignal | undefined,
): Promise<void> {
  const judgedEarly = first.judgedEarly.get(input);
  let start = 0;
  for (const block of spans.blocks()) {
    for (let at = 0; at < block.length; at += 2 * BATCH_RECORDS) {
      stopIfAborted(signal);
      const count = Math.min(BATCH_RECORDS, (block.length - at) / 2);
      const judged = judgedIn(judgedEarly, start, count);
      if (judged.length < count) {
        await evaluator.push({
          records: {
            path: input.path,
            label: input.label,
            first: start,
            // A copy: the block is read over by the next one.
            spans: block.slice(at, at + 2 * count),
            contextOnly: contextOnlyIn(input.label, start, count, first.contextOnly),
            judged: judged.length > 0 ? judged : undefined,
          },
        });
      }
      start += count;
    }
  }
}

/** The records among `count` from `first` the first pass judged, by their place among them. */
function judgedIn(judgedEarly: RecordSet | undefined, first: number, count: number): number[] {
  const judged: number[] = [];
  if (judgedEarly === undefined) return judged;
  for (let k = 0; k < count; k++) if (judgedEarly.has(first + k)) judged.push(k);
  return judged;
}

/** The context-only records of `count` streamed records from `first`, by their place among them. */
function contextOnlyIn(
  label: string,
  first: number,
  count: number,
  contextOnly: ReadonlyMap<string, readonly number[]>,
): RangeJob['contextOnly'] {
  if (contextOnly.size === 0) return undefined;
  const found: [number, readonly number[]][] = [];
  for (let k = 0; k < count; k++) {
    const indexes = contextOnly.get(`${label}[${first + k}]`);
    if (indexes) found.push([k, indexes]);
  }
  return found;
}

/** A finding on its way to the report, with the evaluation it came from. */
interface Evaluated {
  readonly seq: number;
  readonly finding: ScanFinding;
}

/**
 * Scans native inventories offline: normalize, evaluate, keep one finding per
 * (rule, resource) from the resource's latest state. A record that cannot be
 * read or evaluated is listed in `skipped`, never counted as compliant.
 * Memory does not grow with the number of resources or findings: the states
 * go to the workspace's SQLite file and the findings to its sorted runs.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const { workspace } = options;
  const skipped: Skipped[] = [];
  const report = new SortedSpill<Evaluated>(
    workspace.directory,
    (a, b) => compareFindings(a.finding, b.finding),
    options.runSize,
  );
  const tally = new SeverityTally();
  const takeBack = (replaced: { severities: readonly string[] }) => {
    for (const severity of replaced.severities) tally.remove(severity);
  };
  const scopes = new ScopeTracker();
  let unread = 0;
  let evaluated = 0;

  let outcomes = 0;
  function take(outcome: Exclude<Outcome, { survey: unknown }>): void {
    if (++outcomes % PROGRESS_EVERY === 0) options.onProgress?.(outcomes);
    if ('skipped' in outcome) {
      skipped.push(outcome.skipped);
      // Listed, so the report shows it, but not unread: a deletion is news, not a gap.
      if (outcome.deleted) workspace.recordDeletion(outcome.deleted);
      else unread++;
      return;
    }
    const { resource, judgement } = outcome;
    if ('error' in judgement) {
      skipped.push({ input: resource.id, reason: judgement.error });
      unread++;
      return;
    }
    let { findings } = judgement;
    if (options.waiverFor) {
      findings = findings.map((f) => {
        const waiver = options.waiverFor?.(f);
        return waiver ? { ...f, status: 'SUPPRESSED' as const, waiver } : f;
      });
    }
    evaluated++;
    scopes.see(resource);
    const kept = workspace.observe(
      {
        id: resource.id,
        provider: resource.provider,
        account: resource.account,
        observedAt: resource.observedAt,
      },
      findings.map((f) => f.severity),
    );
    // A history file holds several states of one resource: the latest one decides.
    if (kept === undefined) return;
    if (kept.replaced) takeBack(kept.replaced);
    for (const finding of findings) tally.add(finding.severity, finding.status);
    if (options.forState) {
      if (findings.length > 0) workspace.saveFindings(kept.seq, findings);
    } else {
      for (const finding of findings) report.add({ seq: kept.seq, finding });
    }
  }

  const reading = readingFor(options);
  /** Where the first pass's surveys of a streamed input go, in order. */
  let applySurvey: ((survey: Survey) => void) | undefined;
  const evaluator = adaptiveEvaluator({
    judge: { engine: options.engine, includeRule: options.includeRule, reading },
    rules: [...options.engine.rules.keys()].filter(options.includeRule),
    threads: options.threads ?? 1,
    poolAfter: options.poolAfter ?? (await poolAfterFor(options.inputs)),
    onOutcome: (outcome) => ('survey' in outcome ? applySurvey?.(outcome.survey) : take(outcome)),
  });
  const spanLogs: SpanLog[] = [];
  try {
    // The records of a streamed input are parsed and placed where they are judged after.
    const first = await firstPass(options, reading, {
      spanLogFor: () => {
        const log = new SpanLog(path.join(workspace.directory, `spans-${spanLogs.length}.bin`));
        spanLogs.push(log);
        return log;
      },
      surveyor: {
        survey: (range, apply) => {
          stopIfAborted(options.signal);
          applySurvey = apply;
          return evaluator.push({ survey: range });
        },
        settle: () => evaluator.drain(),
      },
    });
    evaluator.shareContexts();
    for (const skip of first.skipped) {
      skipped.push(skip);
      unread++;
    }
    for (const input of options.inputs) {
      const mode = first.modes.get(input);
      const wholeFile = mode === 'whole';
      const spans = first.spans.get(input);
      if (spans && spans.count > 0 && normalizedOffThread(first, input)) {
        // Read again by where the first pass found each record, where it is judged.
        await pushRanges(evaluator, input, spans, first, options.signal);
        continue;
      }
      if (mode === 'ndjson' && normalizedOffThread(first, input)) {
        // Each line sent as text: parsed and normalized where it is judged. (A document read
        // whole, up to 16 MiB, is parsed here: on a thread it would be one job of any size.)
        for await (const document of readNdjsonTexts(input)) {
          stopIfAborted(options.signal);
          const contextOnly = first.contextOnly.get(document.source);
          await evaluator.push({ document: { ...document, wholeFile, contextOnly } });
        }
        continue;
      }
      // Records judged by the first pass (of a streamed input read here for a cloud of
      // it that normalizes on this thread) are not judged again.
      const judgedEarly = first.judgedEarly.get(input);
      let record = -1;
      for await (const document of readDocuments(input, mode)) {
        stopIfAborted(options.signal);
        record++;
        if (judgedEarly?.has(record)) continue;
        if ('error' in document) continue;
        const contextOnly = first.contextOnly.get(document.source);
        for (const item of normalizeDocument(document, wholeFile, contextOnly, first.reading)) {
          // In turn with the judgements before it: the skipped list keeps the order of the input.
          if ('resource' in item) await evaluator.push(item);
          else evaluator.inTurn(() => take(item));
        }
      }
    }
    for (const resource of leftovers(first.reading)) await evaluator.push({ resource });
    await evaluator.drain();
  } finally {
    try {
      await evaluator.close();
    } finally {
      for (const log of spanLogs) log.close();
    }
  }
  // A deletion after a resource's latest state (or of one never seen) ends it: no finding
  // from the state before. A deletion without a time counts only for resources not seen.
  workspace.applyDeletions(takeBack);
  return {
    findings: {
      *[Symbol.iterator]() {
        for (const { seq, finding } of report.sorted()) {
          // Findings of a state a newer one (or a deletion) replaced were already written.
          if (workspace.anyReplaced && !workspace.isCurrent(finding.resourceId, seq)) continue;
          yield finding;
        }
      },
    },
    coverage: { states: workspace, scopes, complete: unread === 0 },
    summary: {
      resources: workspace.resources,
      evaluated,
      findings: tally.total,
      bySeverity: tally.bySeverity(),
      skipped,
    },
  };
}
