import {
  AuthenticationError,
  HttpError,
  pushAnswer,
  silentLogger,
  textResponse,
  type DeadLetterSink,
  type DeliveryOutcome,
  type PipelineLogger,
  type ReceivedEventInit,
  type Route,
  type RouteRequest,
  type RouteResponse,
} from '@drift-detective/pipeline';
import type { PushAuthenticator } from './auth.js';
import { silentPubSubMetrics, type PubSubPushMetrics } from './metrics.js';
import { readPushDelivery, type PushDelivery } from './push-message.js';

/** Hands parsed events to the pipeline (a push source's deliver) and resolves with how each ended. */
export type Deliver = (
  events: readonly ReceivedEventInit[],
  signal: AbortSignal,
) => Promise<DeliveryOutcome[]>;

export interface PubSubPushRouteOptions {
  /** Default "/pubsub/push": the path of the push endpoint URL. */
  readonly path?: string | undefined;
  readonly auth: PushAuthenticator;
  readonly deliver: Deliver;
  /** Where a message that can never be read goes before it is acknowledged (the pipeline's). */
  readonly deadLetter: DeadLetterSink;
  readonly logger?: PipelineLogger | undefined;
  readonly metrics?: PubSubPushMetrics | undefined;
}

export const DEFAULT_PUBSUB_PUSH_PATH = '/pubsub/push';

/**
 * A body limit that fits any push: a Pub/Sub message is at most 10 MB
 * (https://cloud.google.com/pubsub/quotas#resource_limits) and its data is base64 in the push
 * body, a third larger. The server's default (1 MiB) is sized for Event Grid; a large IAM
 * policy or resource would otherwise be answered 413 and retried until it expires.
 */
export const PUBSUB_PUSH_MAX_BODY_BYTES = 14 * 1024 * 1024;

interface Settings {
  readonly auth: PushAuthenticator;
  readonly deliver: Deliver;
  readonly deadLetter: DeadLetterSink;
  readonly logger: PipelineLogger;
  readonly metrics: PubSubPushMetrics;
}

/**
 * The Pub/Sub push endpoint of the Cloud Asset feed. Pub/Sub counts 102, 200, 201, 202 and
 * 204 as an acknowledgement and anything else as a negative one, redelivering with backoff
 * (https://cloud.google.com/pubsub/docs/push#receive_push), so:
 * - 401: a caller that is not the push subscription (nothing read, nothing processed); 503
 *   when Google's keys could not be fetched to tell;
 * - 204: the message is done for good: judged, saved and published by the pipeline (or
 *   dead-lettered there); a sweep request whose shard was swept (or is being swept by another
 *   run, which holds its lease); the feed's welcome message; or a body no redelivery can make
 *   readable, written to the dead-letter sink here first, so a subscription without a
 *   dead-letter policy does not retry it for a week and one with it does not need to;
 * - 503 with Retry-After: the pipeline did not finish it (a failed read, a full buffer, a
 *   deadline, a sweep cut by the stop), or the dead-letter sink failed: Pub/Sub delivers it
 *   again, and the pipeline's idempotence (by messageId and by observed time; a sweep's
 *   checkpoint) makes the redelivery change nothing.
 */
export function pubsubPushRoute(options: PubSubPushRouteOptions): Route {
  const settings: Settings = {
    auth: options.auth,
    deliver: options.deliver,
    deadLetter: options.deadLetter,
    logger: options.logger ?? silentLogger,
    metrics: options.metrics ?? silentPubSubMetrics,
  };
  return {
    path: options.path ?? DEFAULT_PUBSUB_PUSH_PATH,
    handle: (request) => handle(request, settings),
  };
}

async function handle(request: RouteRequest, s: Settings): Promise<RouteResponse> {
  if (request.method !== 'POST') {
    return answered(s, 'method', textResponse(405, 'method not allowed', { allow: 'POST' }));
  }
  try {
    await s.auth(request);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    // The reason goes to the log only: a caller that failed learns nothing about why.
    s.logger.warn({ reason: error.message }, 'Pub/Sub push not authenticated');
    return answered(
      s,
      error.reason,
      error.status === 503
        ? textResponse(503, 'authentication unavailable', { 'retry-after': '30' })
        : textResponse(401, 'unauthorized', { 'www-authenticate': 'Bearer' }),
    );
  }
  let raw: Buffer;
  try {
    raw = await request.body();
  } catch (error) {
    if (error instanceof HttpError)
      s.metrics.requests.inc({ status: String(error.status), reason: 'body' });
    throw error;
  }
  const delivery = readPushDelivery(raw);
  switch (delivery.kind) {
    case 'unreadable':
      return deadLettered(delivery, s);
    case 'welcome':
      s.metrics.messages.inc({ outcome: 'ignored', reason: 'welcome' });
      s.logger.info({ messageId: delivery.event.id }, 'Cloud Asset feed welcome message');
      return answered(s, 'welcome', { status: 204 });
    case 'message':
      s.metrics.messages.inc({
        outcome: 'received',
        reason: delivery.deleted ? 'deletion' : 'change',
      });
      return delivered(delivery.event, request.signal, s);
    case 'sweep':
      s.metrics.messages.inc({ outcome: 'received', reason: 'sweep_request' });
      s.logger.info(
        { messageId: delivery.event.id, shard: delivery.request.shard },
        'Pub/Sub sweep request',
      );
      return delivered(delivery.event, request.signal, s);
  }
}

async function delivered(
  event: ReceivedEventInit,
  signal: AbortSignal,
  s: Settings,
): Promise<RouteResponse> {
  const answer = pushAnswer(await s.deliver([event], signal));
  if (answer.status === 503) {
    s.logger.warn(
      { messageId: event.id, reason: answer.reason },
      'Pub/Sub message not done: answered for a redelivery',
    );
    return answered(
      s,
      'retry',
      textResponse(503, answer.reason.slice(0, 300), {
        'retry-after': String(answer.retryAfterSeconds),
      }),
    );
  }
  return answered(s, 'delivered', { status: 204 });
}

async function deadLettered(
  delivery: Extract<PushDelivery, { kind: 'unreadable' }>,
  s: Settings,
): Promise<RouteResponse> {
  const { event, code, reason } = delivery;
  const log = { messageId: event.id, source: event.source, code, reason };
  try {
    await s.deadLetter.put(
      { ...event, ack: () => Promise.resolve(), nack: () => Promise.resolve() },
      `unreadable (${code}): ${reason}`,
    );
  } catch (error) {
    // Never acknowledge what no dead-letter path holds: Pub/Sub keeps it and tries again.
    s.logger.error(
      { ...log, error: error instanceof Error ? error.message : String(error) },
      'Pub/Sub message unreadable and the dead-letter sink failed',
    );
    return answered(
      s,
      'dead_letter_failed',
      textResponse(503, 'dead-letter sink unavailable', { 'retry-after': '30' }),
    );
  }
  s.metrics.messages.inc({ outcome: 'unreadable', reason: code });
  s.logger.warn(log, 'Pub/Sub message unreadable: dead-lettered and acknowledged');
  return answered(s, 'unreadable', { status: 204 });
}

function answered(s: Settings, reason: string, response: RouteResponse): RouteResponse {
  s.metrics.requests.inc({ status: String(response.status), reason });
  return response;
}
