/**
 * What the pipeline logs and counts. The shapes are the subsets of a pino
 * Logger and of prom-client Counter/Histogram that the pipeline calls, so
 * either can be passed as is.
 */

/** A structured log call: the fields first, then the message (pino's order). */
export type LogFn = (fields: Record<string, unknown>, message: string) => void;

export interface PipelineLogger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
}

/** A counter with labels (prom-client Counter#inc(labels, value)). */
export interface LabelledCounter {
  inc(labels: Record<string, string>, value?: number): void;
}

/** A counter without labels (prom-client Counter#inc(value)). */
export interface PlainCounter {
  inc(value?: number): void;
}

export interface DurationHistogram {
  observe(seconds: number): void;
}

export type EventOutcome = 'acked' | 'retried' | 'dead_lettered';

/**
 * Error kinds counted in drift_errors_total. A list, not only a type: the
 * Prometheus registry starts every kind at 0, so a scrape (and a rate() or an
 * alert on it) sees each series before its first error.
 */
export const ERROR_KINDS = [
  /** The change-event source could not be read (a queue receive failed; retried). */
  'receive',
  'normalize',
  'fetch',
  'evaluation',
  'store',
  'publish',
  /** A finding the hub refused for good (kept pending in the state, logged). */
  'publish_rejected',
  'dead_letter',
  'ack',
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * The metrics the pipeline updates:
 * drift_events_total{outcome}, drift_evaluations_total,
 * drift_findings_transitions_total{transition}, drift_errors_total{kind},
 * drift_publish_duration_seconds, drift_event_duration_seconds,
 * drift_event_own_duration_seconds.
 */
export interface PipelineMetrics {
  readonly events: LabelledCounter;
  readonly evaluations: PlainCounter;
  readonly transitions: LabelledCounter;
  readonly errors: LabelledCounter;
  readonly publishDuration: DurationHistogram;
  /**
   * From a change event's receipt to its ack, for each one acked: the latency
   * the adapter adds between a change and its finding in the hub (the hub's
   * own time included: drift_publish_duration_seconds is that part). A sweep
   * request's ack is not observed: its time is a whole sweep's.
   */
  readonly eventDuration: DurationHistogram;
  /**
   * The same, less the time its publish calls took: the latency the adapter
   * itself adds (reading, normalizing, judging, the state), whatever the hub's.
   * A coalescing publisher's wait for other events' findings (up to 50 ms, the
   * AWS worker's) is inside its publish call, so it counts as the hub's here.
   */
  readonly eventOwnDuration: DurationHistogram;
}

export const silentLogger: PipelineLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Metric values kept in memory: what tests read, and a stand-in where nothing scrapes. */
export interface MemoryMetrics extends PipelineMetrics {
  /** The value of a counter: `drift_events_total{outcome="acked"}` style keys. */
  value(name: string, labels?: Record<string, string>): number;
  /** Every publish duration observed, in seconds. */
  readonly publishDurations: readonly number[];
  /** Every acked event's duration, receipt to ack, in seconds. */
  readonly eventDurations: readonly number[];
  /** Every acked event's duration less its publish calls, in seconds. */
  readonly eventOwnDurations: readonly number[];
}

export function createMemoryMetrics(): MemoryMetrics {
  const values = new Map<string, number>();
  const key = (name: string, labels: Record<string, string> = {}) =>
    `${name}{${Object.entries(labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}}`;
  const add = (name: string, labels: Record<string, string> | undefined, value = 1) => {
    const k = key(name, labels);
    values.set(k, (values.get(k) ?? 0) + value);
  };
  const labelled = (name: string): LabelledCounter => ({
    inc: (labels, value) => add(name, labels, value),
  });
  const durations: number[] = [];
  const eventDurations: number[] = [];
  const eventOwnDurations: number[] = [];
  return {
    events: labelled('drift_events_total'),
    evaluations: { inc: (value) => add('drift_evaluations_total', undefined, value) },
    transitions: labelled('drift_findings_transitions_total'),
    errors: labelled('drift_errors_total'),
    publishDuration: { observe: (seconds) => void durations.push(seconds) },
    eventDuration: { observe: (seconds) => void eventDurations.push(seconds) },
    eventOwnDuration: { observe: (seconds) => void eventOwnDurations.push(seconds) },
    value: (name, labels) => values.get(key(name, labels)) ?? 0,
    publishDurations: durations,
    eventDurations,
    eventOwnDurations,
  };
}
