import type { RegionSweep } from '../adapter/sweep.js';

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The line `aws sweep` ends each region with: what it read, what it resolved
 * as deleted (or why nothing), what happened to findings in this run, and the
 * records it could not judge.
 */
export function sweepLine(sweep: RegionSweep): string {
  const f = sweep.findings;
  const deleted = sweep.completed
    ? `${sweep.resolvedDeleted} resolved as deleted`
    : 'incomplete: nothing resolved as deleted';
  const waived = [
    f.suppressed > 0 ? `, ${f.suppressed} suppressed` : '',
    f.unsuppressed > 0 ? `, ${f.unsuppressed} unsuppressed` : '',
  ].join('');
  return (
    `aws sweep ${sweep.region} (${sweep.account}): ${sweep.resources} resources in ${sweep.pages} pages, ${deleted}; ` +
    `findings: ${f.new} opened, ${f.updated} updated, ${f.resolved} resolved, ${f.reopened} reopened${waived}; ` +
    `${counted(sweep.skipped, 'record', 'records')} skipped\n`
  );
}

/** The signal's name (awsMain aborts with it), or what else stopped the sweep. */
function stopCause(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'a stop request';
}

/** The line of a sweep stopped by SIGTERM or Ctrl-C: it exits 2, and the next run resumes. */
export function stoppedLine(signal: AbortSignal): string {
  return (
    `aws sweep stopped by ${stopCause(signal)}: incomplete, nothing resolved as deleted; ` +
    'the next run resumes after the last saved page\n'
  );
}
