import { Counter, Histogram, Registry } from 'prom-client';
import { ERROR_KINDS, type LabelledCounter, type PipelineMetrics } from './observability.js';

/**
 * The pipeline's metrics as Prometheus series in `registry` (a fresh one by
 * default), for a /metrics endpoint: `await registry.metrics()`.
 */
export function createPrometheusMetrics(
  registry = new Registry(),
): PipelineMetrics & { registry: Registry } {
  const registers = [registry];
  const errors = new Counter({
    name: 'drift_errors_total',
    help: `Errors, by kind (${ERROR_KINDS.join(', ')}).`,
    labelNames: ['kind'],
    registers,
  });
  // A series appears only once it has a sample: without these, "no errors" and
  // "not counted" look the same, and rate() has nothing to start from.
  for (const kind of ERROR_KINDS) errors.inc({ kind }, 0);
  return {
    registry,
    events: new Counter({
      name: 'drift_events_total',
      help: 'Change events handled, by outcome (acked, retried, dead_lettered).',
      labelNames: ['outcome'],
      registers,
    }),
    evaluations: new Counter({
      name: 'drift_evaluations_total',
      help: 'Resources evaluated against the policy bundle.',
      registers,
    }),
    transitions: new Counter({
      name: 'drift_findings_transitions_total',
      help: 'Finding transitions, by kind (new, updated, resolved, reopened, suppressed, unsuppressed).',
      labelNames: ['transition'],
      registers,
    }),
    errors,
    publishDuration: new Histogram({
      name: 'drift_publish_duration_seconds',
      help: 'Time to publish one batch of findings to the hub.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    eventDuration: new Histogram({
      name: 'drift_event_duration_seconds',
      help: 'Time from receiving a change event to acking it, its findings published.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    eventOwnDuration: new Histogram({
      name: 'drift_event_own_duration_seconds',
      help: "The same, less the time its publish calls to the hub took (a coalescing publisher's wait included): the adapter's own latency.",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}

/**
 * A counter of an adapter's own (a webhook's requests by status…) in the same
 * registry as the pipeline's, so one /metrics scrape shows both.
 */
export function labelledCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
): LabelledCounter {
  return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
}
