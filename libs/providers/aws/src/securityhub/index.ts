// Security Hub: the ASFF mapping (shared with the CLI's --format asff) and the publisher.
export { asffId, defaultProductArn, toAsff, workflowStatusOf } from './asff.js';
export type { AsffOptions, AsffSource } from './asff.js';
export {
  fitFinding,
  FindingTooLargeError,
  MAX_BATCH_BYTES,
  MAX_BATCH_FINDINGS,
  MAX_FINDING_BYTES,
} from './asff-limits.js';
export { ASFF_RESOURCE_TYPES, asffResourceType, hubRegion } from './asff-resource.js';
export { batchBySize } from './batches.js';
export { SecurityHubPublishError } from './errors.js';
export type { FailedFinding, HubOperation } from './errors.js';
export { classifyImportAnswer, importFindings } from './import-findings.js';
export {
  DEFAULT_PUBLISH_ATTEMPTS,
  DEFAULT_REQUESTS_PER_SECOND,
  SecurityHubPublisher,
} from './publisher.js';
export type { SecurityHubPublisherOptions } from './publisher.js';
export { KeyedRateLimiter, TokenBucket } from './rate-limiter.js';
export { backoffDelayMs, isTransientError, withRetry } from './retry.js';
export { classifyUpdateAnswer, isUnsupportedOperation, workflowTarget } from './workflow.js';
