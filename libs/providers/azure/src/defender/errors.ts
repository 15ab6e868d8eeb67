import { HubPublishError } from '@drift-detective/pipeline';
import { statusOf } from '../arm/call-errors.js';

/** One finding Defender for Cloud did not take, and why. */
export interface FailedAssessment {
  /** The finding id (FindingRecord.id). */
  readonly id: string;
  readonly subscription: string;
  readonly resourceId: string;
  /** The call that failed: "PUT assessment", "PUT assessment metadata", … */
  readonly operation: string;
  readonly statusCode: number | undefined;
  readonly message: string;
  /** Whether sending it again can never help. */
  readonly permanent: boolean;
}

/**
 * Statuses that sending the same assessment again cannot change: 400 (the
 * body or a name is invalid), 403 (the identity may not write assessments
 * there) and 404 (the resource or subscription does not exist). Throttling
 * and server errors are retried by the pipeline and then reported as
 * transient.
 */
const PERMANENT_STATUSES: ReadonlySet<number> = new Set([400, 403, 404]);

export function isPermanent(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && PERMANENT_STATUSES.has(status);
}

function describe(failure: FailedAssessment): string {
  return `${failure.id} (${failure.resourceId}, ${failure.operation}): ${failure.message}`;
}

/**
 * Thrown by DefenderPublisher.publish when findings were not taken (see
 * HubPublishError).
 */
export class DefenderPublishError extends HubPublishError<FailedAssessment> {
  override readonly name = 'DefenderPublishError';

  constructor(failures: readonly FailedAssessment[], total: number) {
    super('Defender for Cloud', failures, total, describe);
  }
}
