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

function describe(failure: FailedFinding): string {
  return `${failure.id} (${failure.account}/${failure.region}, ${failure.operation}): ${failure.errorCode}: ${failure.errorMessage}`;
}

/**
 * Thrown by SecurityHubPublisher.publish when findings were not taken: the
 * message names every one with its error code and message, so nothing is lost
 * without a trace; the pipeline keeps them pending and sends them again.
 */
export class SecurityHubPublishError extends Error {
  constructor(
    readonly failures: readonly FailedFinding[],
    readonly total: number,
  ) {
    super(
      `Security Hub did not take ${failures.length} of ${total} finding(s): ${failures.map(describe).join('; ')}`,
    );
    this.name = 'SecurityHubPublishError';
  }
}

/** The error code and message of a thrown error, for a FailedFinding. */
export function errorFields(error: unknown): { errorCode: string; errorMessage: string } {
  if (error instanceof Error) return { errorCode: error.name, errorMessage: error.message };
  return { errorCode: 'Error', errorMessage: String(error) };
}
