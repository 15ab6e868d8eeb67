import { labelledCounter, type LabelledCounter } from '@drift-detective/pipeline';

/**
 * What the push endpoint counts (prom-client Counters fit as they are):
 * drift_gcp_pubsub_messages_total{outcome, reason} — outcome "received" (reason: "change",
 * "deletion" or "sweep_request"), "ignored" (reason "welcome": the feed's first message) or "unreadable"
 * (reason: the UnreadableReason; the message was dead-lettered here and acknowledged);
 * drift_gcp_pubsub_requests_total{status, reason} — every answer and why.
 * Every label value comes from a bounded set, never from free text.
 */
export interface PubSubPushMetrics {
  readonly messages: LabelledCounter;
  readonly requests: LabelledCounter;
}

export const PUBSUB_METRIC_NAMES = {
  messages: 'drift_gcp_pubsub_messages_total',
  requests: 'drift_gcp_pubsub_requests_total',
} as const;

const ignore: LabelledCounter = { inc: () => undefined };

export const silentPubSubMetrics: PubSubPushMetrics = { messages: ignore, requests: ignore };

/** Both counters, registered in the adapter's registry beside the pipeline's own. */
export function pubsubPushMetrics(
  registry: Parameters<typeof labelledCounter>[0],
): PubSubPushMetrics {
  return {
    messages: labelledCounter(
      registry,
      PUBSUB_METRIC_NAMES.messages,
      'Pub/Sub push messages (Cloud Asset feed messages, sweep requests), by outcome (received, ignored, unreadable) and reason.',
      ['outcome', 'reason'],
    ),
    requests: labelledCounter(
      registry,
      PUBSUB_METRIC_NAMES.requests,
      'Pub/Sub push endpoint answers, by status and reason.',
      ['status', 'reason'],
    ),
  };
}
