import {
  BatchImportFindingsCommand,
  type AwsSecurityFinding,
  type BatchImportFindingsResponse,
} from '@aws-sdk/client-securityhub';
import { batchBySize } from './batches.js';
import { sendInRounds, type AnswerOutcome, type HubContext, type Rejected } from './hub-context.js';
import { THROTTLING_ERRORS } from './retry.js';

/**
 * FailedFindings[].ErrorCode is a free-form string in the API reference (no
 * enum: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_ImportFindingsError.html).
 * Throttling and internal-failure codes may pass on a later request; anything
 * else (InvalidInput for an ASFF schema violation, InvalidAccess when Security
 * Hub is not enabled for the account:
 * https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html,
 * AccessDeniedException for a finding of another account, a finding over
 * 240 KB…) will not.
 */
const RETRYABLE_FAILURE_CODES: ReadonlySet<string> = new Set([
  ...THROTTLING_ERRORS,
  'InternalFailure',
  'InternalException',
  'InternalError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ConcurrentUpdateError',
]);

export function isRetryableFailureCode(code: string): boolean {
  return RETRYABLE_FAILURE_CODES.has(code);
}

/**
 * Sorts the findings of one BatchImportFindings request by its answer:
 * imported, to send again, failed for good. Every finding sent ends up in
 * exactly one list: when FailedCount says more failed than FailedFindings
 * lists, the unlisted ones cannot be told apart from the imported ones, so they
 * are all sent again (importing a finding twice only updates it).
 */
export function classifyImportAnswer(
  sent: readonly AwsSecurityFinding[],
  answer: BatchImportFindingsResponse,
): AnswerOutcome<AwsSecurityFinding> {
  const sentIds = new Set(sent.map((f) => f.Id));
  const errors = new Map(
    (answer.FailedFindings ?? [])
      .filter((e) => e.Id !== undefined && sentIds.has(e.Id))
      .map((e) => [e.Id, e]),
  );
  const unlisted = (answer.FailedCount ?? errors.size) - errors.size;
  const outcome: AnswerOutcome<AwsSecurityFinding> = { accepted: [], retry: [], failed: [] };
  for (const finding of sent) {
    const error = errors.get(finding.Id);
    if (error) {
      const rejected: Rejected<AwsSecurityFinding> = {
        item: finding,
        errorCode: error.ErrorCode ?? 'Unknown',
        errorMessage: error.ErrorMessage ?? '',
      };
      (isRetryableFailureCode(rejected.errorCode) ? outcome.retry : outcome.failed).push(rejected);
    } else if (unlisted > 0) {
      outcome.retry.push({
        item: finding,
        errorCode: 'UnlistedFailure',
        errorMessage: `the answer counted ${answer.FailedCount} failed but listed ${errors.size}`,
      });
    } else {
      outcome.accepted.push(finding);
    }
  }
  return outcome;
}

export interface ImportResult {
  readonly imported: AwsSecurityFinding[];
  readonly failed: Rejected<AwsSecurityFinding>[];
}

/**
 * Imports findings into one account's hub in one region: batches within the
 * request limits, one BatchImportFindings per batch, findings the hub answered
 * "try again later" for sent again in a following batch after a backoff, up to
 * maxAttempts rounds. A request that fails for good fails its batch's findings
 * (with the error's name and message) and the other batches still go.
 *
 * With the default product ARN, the hub takes only findings whose AwsAccountId
 * is the caller's own account ("the identifier of the account that you are
 * calling BatchImportFindings from needs to be the same as the AwsAccountId
 * attribute for the finding":
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html).
 * Findings of other accounts come back failed here; sending them needs a client
 * with that account's credentials (or a Security Hub administrator setup),
 * which is the caller's choice of clientFor, not this loop's.
 */
export async function importFindings(
  hub: HubContext,
  findings: readonly AwsSecurityFinding[],
): Promise<ImportResult> {
  const { accepted, failed } = await sendInRounds(hub, findings, batchBySize, async (batch) =>
    classifyImportAnswer(
      batch,
      await hub.call(() =>
        hub.client.send(new BatchImportFindingsCommand({ Findings: batch }), hub.sendOptions),
      ),
    ),
  );
  return { imported: accepted, failed };
}
