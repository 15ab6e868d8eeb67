import type { PartialPublishFailure } from '@drift-detective/pipeline';

export type HubOperation = 'BatchImportFindings' | 'BatchUpdateFindings';

/** One finding Security Hub did not take, and why. */
export interface FailedFinding {
  /** The finding id (FindingRecord.id); the ASFF Id is drift-detective/<id>. */
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly operation: HubOperation;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * Error codes that sending again can never fix: a finding the hub finds
 * invalid or too large, or one the caller may not import (another account's
 * finding without a member role). Anything else may pass later.
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_ImportFindingsError.html
 */
const PERMANENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'InvalidInput',
  'InvalidInputException',
  'InvalidAccess',
  'InvalidAccessException',
  'AccessDenied',
  'AccessDeniedException',
  'FindingTooLargeError',
]);

export function isPermanentFailure(failure: Pick<FailedFinding, 'errorCode'>): boolean {
  return PERMANENT_ERROR_CODES.has(failure.errorCode);
}

function describe(failure: FailedFinding): string {
  return `${failure.id} (${failure.account}/${failure.region}, ${failure.operation}): ${failure.errorCode}: ${failure.errorMessage}`;
}

/**
 * Thrown by SecurityHubPublisher.publish when findings were not taken: the
 * message names every one with its error code and message, so nothing is lost
 * without a trace; the pipeline keeps them pending and sends them again.
 */
export class SecurityHubPublishError extends Error implements PartialPublishFailure {
  /** What the pipeline reads (PartialPublishFailure): which were refused, and for good or not. */
  readonly rejected: PartialPublishFailure['rejected'];

  constructor(
    readonly failures: readonly FailedFinding[],
    readonly total: number,
  ) {
    super(
      `Security Hub did not take ${failures.length} of ${total} finding(s): ${failures.map(describe).join('; ')}`,
    );
    this.name = 'SecurityHubPublishError';
    this.rejected = failures.map((f) => ({
      id: f.id,
      permanent: isPermanentFailure(f),
      reason: describe(f),
    }));
  }
}

/** The error code and message of a thrown error, for a FailedFinding. */
export function errorFields(error: unknown): { errorCode: string; errorMessage: string } {
  if (error instanceof Error) return { errorCode: error.name, errorMessage: error.message };
  return { errorCode: 'Error', errorMessage: String(error) };
}
