import {
  BatchUpdateFindingsCommand,
  type AwsSecurityFindingIdentifier,
  type BatchUpdateFindingsResponse,
  type WorkflowStatus,
} from '@aws-sdk/client-securityhub';
import type { FindingRecord } from '@drift-detective/findings';
import { chunk } from './batches.js';
import { sendInRounds, type AnswerOutcome, type HubContext, type Rejected } from './hub-context.js';
import { httpStatusOf } from './retry.js';

/**
 * The Workflow.Status a finding needs set after its import, if any.
 * BatchImportFindings cannot change Workflow once a finding exists ("After a
 * finding is created, BatchImportFindings cannot be used to update the
 * following finding fields and objects […] Workflow":
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html),
 * so it is set with BatchUpdateFindings
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindings.html).
 * A reopened or unsuppressed finding goes back to NEW: Security Hub resets a
 * RESOLVED workflow itself when the record turns ACTIVE again, but not a
 * SUPPRESSED one (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Workflow.html).
 */
export function workflowTarget(
  finding: Pick<FindingRecord, 'status' | 'pendingTransition'>,
): WorkflowStatus | undefined {
  if (finding.status === 'RESOLVED') return 'RESOLVED';
  if (finding.status === 'SUPPRESSED') return 'SUPPRESSED';
  if (finding.pendingTransition === 'reopened' || finding.pendingTransition === 'unsuppressed') {
    return 'NEW';
  }
  return undefined;
}

/** BatchUpdateFindings takes up to 100 finding identifiers per request (API_BatchUpdateFindings). */
export const MAX_UPDATE_IDENTIFIERS = 100;

/**
 * UnprocessedFindings[].ErrorCode values
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindingsUnprocessedFinding.html):
 * ConcurrentUpdateError ("may also occur if you call BatchUpdateFindings and
 * BatchImportFindings at the same time", which is what a publish does) and
 * InternalFailure may pass later. FindingNotFound right after the finding was
 * imported is taken as the import not being visible yet; it is retried too and
 * reported if it persists. DuplicatedFindingIdentifier, FindingSizeExceeded and
 * InvalidInput will not pass.
 */
const RETRYABLE_UPDATE_CODES: ReadonlySet<string> = new Set([
  'ConcurrentUpdateError',
  'InternalFailure',
  'FindingNotFound',
]);

const keyOf = (identifier: AwsSecurityFindingIdentifier | undefined) =>
  `${identifier?.Id ?? ''}\n${identifier?.ProductArn ?? ''}`;

/** Sorts the identifiers of one BatchUpdateFindings request by its answer. */
export function classifyUpdateAnswer(
  sent: readonly AwsSecurityFindingIdentifier[],
  answer: BatchUpdateFindingsResponse,
): AnswerOutcome<AwsSecurityFindingIdentifier> {
  const errors = new Map(
    (answer.UnprocessedFindings ?? []).map((u) => [keyOf(u.FindingIdentifier), u]),
  );
  const outcome: AnswerOutcome<AwsSecurityFindingIdentifier> = {
    accepted: [],
    retry: [],
    failed: [],
  };
  for (const identifier of sent) {
    const error = errors.get(keyOf(identifier));
    if (!error) {
      outcome.accepted.push(identifier);
      continue;
    }
    const rejected = {
      item: identifier,
      errorCode: error.ErrorCode ?? 'Unknown',
      errorMessage: error.ErrorMessage ?? '',
    };
    (RETRYABLE_UPDATE_CODES.has(rejected.errorCode) ? outcome.retry : outcome.failed).push(
      rejected,
    );
  }
  return outcome;
}

/**
 * True when the endpoint does not serve BatchUpdateFindings at all. moto_server
 * (5.2.5) routes no /findings/batchupdate: it answers HTTP 404 with an HTML
 * "Not Found" page, which the SDK surfaces as a deserialization error (a
 * SyntaxError with $metadata.httpStatusCode 404). None of the errors
 * BatchUpdateFindings models is a 404 (InternalException 500,
 * InvalidAccessException 401, InvalidInputException 400, LimitExceededException
 * 429: API_BatchUpdateFindings, Errors), so a 404 can only mean the route is
 * missing; UnknownOperationException is what AWS-protocol emulators answer for
 * an operation they lack.
 */
export function isUnsupportedOperation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { name?: unknown }).name === 'UnknownOperationException') return true;
  return httpStatusOf(error) === 404;
}

export interface WorkflowUpdate {
  readonly identifier: AwsSecurityFindingIdentifier;
  readonly status: WorkflowStatus;
}

export interface WorkflowResult {
  readonly failed: Rejected<AwsSecurityFindingIdentifier>[];
  /** The endpoint has no BatchUpdateFindings: nothing was set, nothing failed. */
  readonly unsupported: boolean;
}

/**
 * Sets Workflow.Status: one BatchUpdateFindings per status and 100 findings,
 * unprocessed findings that may pass later sent again after a backoff, up to
 * maxAttempts rounds.
 */
export async function updateWorkflow(
  hub: HubContext,
  updates: readonly WorkflowUpdate[],
): Promise<WorkflowResult> {
  const failed: Rejected<AwsSecurityFindingIdentifier>[] = [];
  const byStatus = new Map<WorkflowStatus, AwsSecurityFindingIdentifier[]>();
  for (const { identifier, status } of updates) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), identifier]);
  }
  try {
    for (const [status, identifiers] of byStatus) {
      const result = await sendInRounds(
        hub,
        identifiers,
        (pending) => chunk(pending, MAX_UPDATE_IDENTIFIERS),
        async (batch) =>
          classifyUpdateAnswer(
            batch,
            await hub.call(() =>
              hub.client.send(
                new BatchUpdateFindingsCommand({
                  FindingIdentifiers: batch,
                  Workflow: { Status: status },
                }),
                hub.sendOptions,
              ),
            ),
          ),
        isUnsupportedOperation,
      );
      failed.push(...result.failed);
    }
  } catch (error) {
    if (isUnsupportedOperation(error)) return { failed: [], unsupported: true };
    throw error;
  }
  return { failed, unsupported: false };
}
