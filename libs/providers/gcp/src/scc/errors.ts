import { HubPublishError } from '@drift-detective/pipeline';

/** One finding Security Command Center did not take, and why. */
export interface FailedFinding {
  /** The finding id (FindingRecord.id), also the SCC finding id. */
  readonly id: string;
  /** The asset the finding is about (its full resource name). */
  readonly resourceName: string;
  /** The step that failed: "source", "UpdateFinding", "SetFindingState", "SetMute", "check". */
  readonly operation: string;
  /** The gRPC status code, when the service answered with one. */
  readonly code: number | undefined;
  /** One line: the code's name and the service's message (describeGcpError), never a token. */
  readonly message: string;
  /** Whether sending it again can never help. */
  readonly permanent: boolean;
}

function describe(failure: FailedFinding): string {
  return `${failure.id} (${failure.resourceName}, ${failure.operation}): ${failure.message}`;
}

/**
 * Thrown by SccPublisher.publish when findings were not taken (see
 * HubPublishError).
 */
export class SccPublishError extends HubPublishError<FailedFinding> {
  override readonly name = 'SccPublishError';

  constructor(failures: readonly FailedFinding[], total: number) {
    super('Security Command Center', failures, total, describe);
  }
}
