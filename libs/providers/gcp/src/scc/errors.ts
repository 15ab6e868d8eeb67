import type { PartialPublishFailure } from '@drift-detective/pipeline';

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

/** At most this many failures are spelled out in the message; every one is in `failures` and `rejected`. */
const LISTED = 10;

/**
 * Thrown by SccPublisher.publish when findings were not taken: the pipeline
 * marks the others published, keeps these pending, and counts the permanent
 * ones instead of failing every later publish on them.
 */
export class SccPublishError extends Error implements PartialPublishFailure {
  override readonly name = 'SccPublishError';
  readonly rejected: PartialPublishFailure['rejected'];

  constructor(
    readonly failures: readonly FailedFinding[],
    readonly total: number,
  ) {
    const listed = failures.slice(0, LISTED).map(describe).join('; ');
    const more = failures.length > LISTED ? `; and ${failures.length - LISTED} more` : '';
    super(
      `Security Command Center did not take ${failures.length} of ${total} finding(s): ${listed}${more}`,
    );
    this.rejected = failures.map((f) => ({
      id: f.id,
      permanent: f.permanent,
      reason: describe(f),
    }));
  }
}
