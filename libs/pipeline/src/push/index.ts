export type { DeliveryOutcome, ReceivedEventInit, RefusalReason } from './delivery.js';
export { AuthenticationError } from './auth-error.js';
export type { AuthFailureReason } from './auth-error.js';
export {
  bearerTokenVerifier,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  DEFAULT_JWKS_TIMEOUT_MS,
} from './bearer-token.js';
export type { BearerTokenOptions, BearerTokenVerifier } from './bearer-token.js';
export { verifySharedSecret } from './shared-secret.js';
export {
  pushEventSource,
  pushedEventDeps,
  runPushedEvents,
  DEFAULT_REMEMBER_ACKED,
} from './push-event-source.js';
export type { PushEventSource, PushEventSourceOptions } from './push-event-source.js';
export { pushAnswer, DEFAULT_RETRY_AFTER_SECONDS } from './push-answer.js';
export type { PushAnswer } from './push-answer.js';
export { HttpError, jsonResponse, textResponse } from './http-route.js';
export type { Route, RouteRequest, RouteResponse } from './http-route.js';
export {
  startHttpServer,
  DEFAULT_LISTEN_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_HANDLER_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS as DEFAULT_HTTP_REQUEST_TIMEOUT_MS,
} from './http-server.js';
export type { HttpServer, HttpServerOptions } from './http-server.js';
export { healthRoutes } from './health-routes.js';
export type { HealthRoutesOptions } from './health-routes.js';
export { DeadLetterFile } from './dead-letter-file.js';
export { readKeySet } from './key-set.js';
