import {
  jsonResponse,
  textResponse,
  type RouteRequest,
  type RouteResponse,
} from '@drift-detective/pipeline';

export interface AbuseProtectionOptions {
  /**
   * Origins granted delivery (e.g. "eventgrid.azure.net", the value Event
   * Grid is seen to send; Microsoft's pages do not name it). Default: the
   * origin the caller names, since the caller is authenticated before this.
   */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** Requests per minute granted, or "*" for no limit (default "*"). */
  readonly allowedRate?: number | '*' | undefined;
}

/**
 * The CloudEvents 1.0 abuse-protection handshake Event Grid performs instead
 * of the validation event when it delivers CloudEvents: an OPTIONS request
 * naming the sender in WebHook-Request-Origin; consent is the
 * WebHook-Allowed-Origin and WebHook-Allowed-Rate headers, which must be
 * returned when the request asked for a rate and should be otherwise
 * (https://learn.microsoft.com/azure/event-grid/end-point-validation-cloud-events-schema,
 * https://github.com/cloudevents/spec/blob/v1.0/http-webhook.md#4-abuse-protection).
 * An origin not granted gets no consent headers.
 */
export function abuseProtectionAnswer(
  request: Pick<RouteRequest, 'headers'>,
  options: AbuseProtectionOptions = {},
): RouteResponse {
  const origin = request.headers['webhook-request-origin'];
  if (typeof origin !== 'string' || origin.trim() === '') {
    return textResponse(400, 'WebHook-Request-Origin missing', { allow: 'OPTIONS, POST' });
  }
  const allowed = options.allowedOrigins;
  if (allowed && !allowed.some((o) => o.toLowerCase() === origin.trim().toLowerCase())) {
    return textResponse(403, 'origin not allowed', { allow: 'OPTIONS, POST' });
  }
  return {
    status: 200,
    headers: {
      allow: 'OPTIONS, POST',
      'webhook-allowed-origin': origin.trim(),
      'webhook-allowed-rate': String(options.allowedRate ?? '*'),
    },
  };
}

/**
 * The answer to Event Grid's SubscriptionValidationEvent: the code echoed as
 * `validationResponse` (SubscriptionValidationResponse in EventGrid.json),
 * with 200 — a 202 is not taken as validation
 * (https://learn.microsoft.com/azure/event-grid/webhook-event-delivery).
 */
export function validationAnswer(validationCode: string): RouteResponse {
  return jsonResponse(200, { validationResponse: validationCode });
}
