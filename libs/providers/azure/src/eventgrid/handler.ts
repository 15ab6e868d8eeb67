import {
  AuthenticationError,
  HttpError,
  jsonResponse,
  pushAnswer,
  silentLogger,
  textResponse,
  type DeliveryOutcome,
  type PipelineLogger,
  type ReceivedEventInit,
  type Route,
  type RouteRequest,
  type RouteResponse,
} from '@drift-detective/pipeline';
import type { RequestAuthenticator } from './auth.js';
import { planDelivery, type DeliveryPlan } from './delivery-plan.js';
import { DeliveryShapeError } from './grid-event.js';
import {
  abuseProtectionAnswer,
  validationAnswer,
  type AbuseProtectionOptions,
} from './handshake.js';
import { silentEventGridMetrics, type EventGridMetrics } from './metrics.js';
import { deliveryContext } from './received-event.js';

/** Hands parsed events to the pipeline (a push source's deliver) and resolves with how each ended. */
export type Deliver = (
  events: readonly ReceivedEventInit[],
  signal: AbortSignal,
) => Promise<DeliveryOutcome[]>;

export interface EventGridHandlerOptions extends AbuseProtectionOptions {
  /** Default "/eventgrid". */
  readonly path?: string | undefined;
  readonly auth: RequestAuthenticator;
  readonly deliver: Deliver;
  readonly logger?: PipelineLogger | undefined;
  readonly metrics?: EventGridMetrics | undefined;
}

export const DEFAULT_EVENT_GRID_PATH = '/eventgrid';

interface Settings {
  readonly auth: RequestAuthenticator;
  readonly deliver: Deliver;
  readonly logger: PipelineLogger;
  readonly metrics: EventGridMetrics;
  readonly handshake: AbuseProtectionOptions;
}

/**
 * The Event Grid webhook route. Every call is authenticated first, handshakes
 * included (401 for a caller that is not, and Event Grid does not retry a
 * 401). Then: OPTIONS is the CloudEvents handshake; a POST is a delivery in
 * either schema. Status policy (Event Grid retries the whole request on
 * anything but 200–204, and dead-letters, or drops, at once on 400, 401 and 413:
 * https://learn.microsoft.com/azure/event-grid/delivery-and-retry):
 * - 400 / 413: a body that is not JSON, not a delivery, or too large: nothing
 *   is processed, and sending it again cannot help;
 * - 200: every event is done for good: judged, saved and published; ignored
 *   (not a change we judge); or, when it cannot be read, dead-lettered by the
 *   pipeline with its reason, which the answer also lists;
 * - 503: some event failed for now, or did not finish in time; Event Grid
 *   redelivers the batch, and what was done already is answered at once or
 *   judged again to the same result (idempotent by event id).
 */
export function eventGridHandler(options: EventGridHandlerOptions): Route {
  const settings: Settings = {
    auth: options.auth,
    deliver: options.deliver,
    logger: options.logger ?? silentLogger,
    metrics: options.metrics ?? silentEventGridMetrics,
    handshake: { allowedOrigins: options.allowedOrigins, allowedRate: options.allowedRate },
  };
  return {
    path: options.path ?? DEFAULT_EVENT_GRID_PATH,
    handle: (request) => handle(request, settings),
  };
}

async function handle(request: RouteRequest, s: Settings): Promise<RouteResponse> {
  if (request.method !== 'POST' && request.method !== 'OPTIONS') {
    return answered(
      s,
      'method',
      textResponse(405, 'method not allowed', { allow: 'OPTIONS, POST' }),
    );
  }
  try {
    await s.auth(request);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    // The reason goes to the log only: a caller that failed learns nothing about why.
    s.logger.warn(
      { method: request.method, reason: error.message },
      'Event Grid call not authenticated',
    );
    return answered(
      s,
      error.reason,
      error.status === 503
        ? textResponse(503, 'authentication unavailable', { 'retry-after': '30' })
        : textResponse(401, 'unauthorized', { 'www-authenticate': 'Bearer' }),
    );
  }
  if (request.method === 'OPTIONS')
    return answered(s, 'handshake', abuseProtectionAnswer(request, s.handshake));
  let parsed: unknown;
  try {
    parsed = JSON.parse((await request.body()).toString('utf8')) as unknown;
  } catch (error) {
    if (error instanceof HttpError) {
      s.metrics.requests.inc({ status: String(error.status), reason: 'body' });
      throw error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    return answered(s, 'bad_json', textResponse(400, `body is not JSON: ${reason}`));
  }
  let plan: DeliveryPlan;
  try {
    plan = planDelivery(parsed, deliveryContext(request), s.metrics);
  } catch (error) {
    if (!(error instanceof DeliveryShapeError)) throw error;
    return answered(s, 'not_a_delivery', textResponse(400, error.message));
  }
  const outcomes = plan.events.length === 0 ? [] : await s.deliver(plan.events, request.signal);
  const answer = pushAnswer(outcomes);
  if (answer.status === 503) {
    s.logger.warn(
      { reason: answer.reason },
      'Event Grid delivery not done: asking for a redelivery',
    );
    return answered(
      s,
      'retry',
      textResponse(503, answer.reason.slice(0, 300), {
        'retry-after': String(answer.retryAfterSeconds),
      }),
    );
  }
  if (plan.validationCode !== undefined) {
    s.logger.info({}, 'Event Grid subscription validated');
    return answered(s, 'validated', validationAnswer(plan.validationCode));
  }
  for (const r of plan.rejected) s.logger.warn(r, 'Event Grid event unreadable: dead-lettered');
  return answered(
    s,
    'delivered',
    jsonResponse(200, { received: plan.received, ignored: plan.ignored, rejected: plan.rejected }),
  );
}

function answered(s: Settings, reason: string, response: RouteResponse): RouteResponse {
  s.metrics.requests.inc({ status: String(response.status), reason });
  return response;
}
