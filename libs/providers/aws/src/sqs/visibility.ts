/**
 * The longest visibility timeout SQS takes, 12 hours. It also bounds a
 * message's total time in flight: an extension past 12 hours from the first
 * receive is rejected, never shortened to fit.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
 */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

/** A retry delay in ms as a VisibilityTimeout: whole seconds, rounded up, within 0…43200. */
export function visibilitySeconds(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.ceil(ms / 1000));
}
