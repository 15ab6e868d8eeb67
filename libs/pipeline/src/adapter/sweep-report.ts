import type { EventSummary } from '../event-mode.js';
import type { SweepSummary } from '../sweep-mode.js';
import type { TransitionCounts } from './transition-counts.js';

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One sweep of one scope (an account and region, a subscription, a project), as a sweep command reports it. */
export interface ScopeSweep extends SweepSummary {
  readonly sweepId: string;
  /** What happened to findings in this run, by transition (the resolved include resolvedDeleted). */
  readonly findings: TransitionCounts;
}

/**
 * The line a sweep command ends each scope with — `aws sweep us-east-1
 * (123456789012): …`, `azure sweep <subscription>: …` — what it read, what it
 * resolved as deleted (or why nothing), what happened to findings in this
 * run, and the records it could not judge.
 */
export function sweepLine(command: string, scope: string, sweep: ScopeSweep): string {
  if (sweep.sweptElsewhere) {
    return `${command} ${scope}: skipped, another run is sweeping it (it resolves what it does not see)\n`;
  }
  const f = sweep.findings;
  const deleted = sweep.completed
    ? `${sweep.resolvedDeleted} resolved as deleted`
    : 'incomplete: nothing resolved as deleted';
  const waived = [
    f.suppressed > 0 ? `, ${f.suppressed} suppressed` : '',
    f.unsuppressed > 0 ? `, ${f.unsuppressed} unsuppressed` : '',
  ].join('');
  return (
    `${command} ${scope}: ${sweep.resources} resources in ${sweep.pages} pages, ${deleted}; ` +
    `findings: ${f.new} opened, ${f.updated} updated, ${f.resolved} resolved, ${f.reopened} reopened${waived}; ` +
    `${counted(sweep.skipped, 'record', 'records')} skipped\n`
  );
}

/** The signal's name (adapterMain aborts with it), or what else stopped the sweep. */
function stopCause(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'a stop request';
}

/** The line of a sweep stopped by SIGTERM or Ctrl-C: it exits 2, and the next run resumes. */
export function stoppedLine(command: string, signal: AbortSignal): string {
  return (
    `${command} stopped by ${stopCause(signal)}: incomplete, nothing resolved as deleted; ` +
    'the next run resumes after the last saved page\n'
  );
}

/** The line a worker or webhook ends with once SIGTERM or Ctrl-C has drained it. */
export function drainedLine(command: string, summary: EventSummary): string {
  return `${command} stopped: ${summary.acked} acked, ${summary.retried} retried, ${summary.deadLettered} dead-lettered\n`;
}
