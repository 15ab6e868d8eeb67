import { TRANSITIONS, type Transition } from '@drift-detective/findings';
import { createMemoryMetrics, type PipelineMetrics } from '../observability.js';

/** Finding transitions of one run, by kind. */
export type TransitionCounts = Readonly<Record<Transition, number>>;

/**
 * The pipeline's metrics, with every finding transition also counted here:
 * the pipeline counts each one in drift_findings_transitions_total, so a
 * sweep's summary reads the same numbers a scrape would, for its own run only.
 */
export function countingTransitions(metrics: PipelineMetrics | undefined): {
  readonly metrics: PipelineMetrics;
  readonly counts: () => TransitionCounts;
} {
  const inner = metrics ?? createMemoryMetrics();
  const counts = Object.fromEntries(TRANSITIONS.map((t) => [t, 0])) as Record<Transition, number>;
  const counted: PipelineMetrics = {
    events: inner.events,
    evaluations: inner.evaluations,
    errors: inner.errors,
    publishDuration: inner.publishDuration,
    eventDuration: inner.eventDuration,
    eventOwnDuration: inner.eventOwnDuration,
    transitions: {
      inc(labels, value) {
        const transition = labels['transition'] as Transition | undefined;
        if (transition !== undefined && Object.hasOwn(counts, transition)) {
          counts[transition] += value ?? 1;
        }
        inner.transitions.inc(labels, value);
      },
    },
  };
  return { metrics: counted, counts: () => ({ ...counts }) };
}
