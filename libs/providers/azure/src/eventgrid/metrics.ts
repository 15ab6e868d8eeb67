import type { LabelledCounter } from '@drift-detective/pipeline';

/**
 * What the webhook counts (prom-client Counters fit as they are):
 * drift_eventgrid_events_total{outcome="received"|"ignored"|"rejected", reason}
 * — reason: the delivery schema, the ignored event type, or the RejectReason;
 * drift_eventgrid_requests_total{status, reason} — every answer and why.
 * Every label value comes from a bounded set, never from free text.
 */
export interface EventGridMetrics {
  readonly events: LabelledCounter;
  readonly requests: LabelledCounter;
}

export const EVENT_GRID_METRIC_NAMES = {
  events: 'drift_eventgrid_events_total',
  requests: 'drift_eventgrid_requests_total',
} as const;

const ignore: LabelledCounter = { inc: () => undefined };

export const silentEventGridMetrics: EventGridMetrics = { events: ignore, requests: ignore };
