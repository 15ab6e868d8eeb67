export { isPartialPublishFailure } from './interfaces.js';
export type {
  DeadLetterSink,
  PartialPublishFailure,
  EventSource,
  Publisher,
  ReceivedEvent,
  SweepPage,
  SweepReader,
  SweepReaderFactory,
} from './interfaces.js';
export type { PipelineDeps } from './core.js';
export { describe as describeError, normalizeDocument, toObservation } from './core.js';
export { fullJitterDelayMs, sleep } from './backoff.js';
export type { BackoffBounds } from './backoff.js';
export {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_CAP_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  retryDelayMs,
  runEvents,
} from './event-mode.js';
export type { EventDeps, EventOptions, EventSummary } from './event-mode.js';
export { createMemoryMetrics, ERROR_KINDS, silentLogger } from './observability.js';
export type {
  DurationHistogram,
  ErrorKind,
  EventOutcome,
  LabelledCounter,
  LogFn,
  MemoryMetrics,
  PipelineLogger,
  PipelineMetrics,
  PlainCounter,
} from './observability.js';
export { findingLine, hubOrDryRun, JsonLinesPublisher } from './publishers/json-lines.js';
export { runSweep } from './sweep-mode.js';
export type { SweepOptions, SweepProgressReport, SweepSummary } from './sweep-mode.js';
export { createPrometheusMetrics, labelledCounter } from './prometheus.js';
export { createLogger } from './logger.js';
export { DEFAULT_HEALTH_HOST, startHealthServer } from './health-server.js';
export type { HealthServer } from './health-server.js';
export {
  DEFAULT_UNREADY_AFTER_MS,
  DependencyHealth,
  reasonOf,
} from './health/dependency-health.js';
export type { DependencyProbe, Readiness } from './health/dependency-health.js';
export { trackedPublisher } from './health/tracked-publisher.js';
export { CoalescingPublisher } from './publishers/coalescing.js';
export { HubPublishError } from './publishers/hub-publish-error.js';
export type { HubRefusal } from './publishers/hub-publish-error.js';
export {
  cloudFailureLine,
  DEFAULT_WAIVERS,
  EXIT,
  isEnvironmentFailure,
  printable,
  runAdapterProcess,
  runCommandLine,
  untilStopped,
  UsageError,
  waiversFrom,
} from './command/index.js';
export type { CommandIo } from './command/index.js';
export * from './adapter/index.js';
export * from './push/index.js';
export { mapLimit } from './map-limit.js';
export {
  readSweepRequest,
  SWEEP_REQUEST_KIND,
  SWEEP_REQUEST_VERSION,
  sweepRequestText,
} from './sweep-request.js';
export type { SweepRequest, SweepRequests } from './sweep-request.js';
