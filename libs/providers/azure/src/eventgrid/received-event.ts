import { createHash } from 'node:crypto';
import type { ReceivedEventInit, RouteRequest } from '@drift-detective/pipeline';

/** What a delivery's headers say about all of its events. */
export interface DeliveryContext {
  readonly subscriptionName: string;
  /** Deliveries so far, this one included. */
  readonly receiveCount: number;
}

/**
 * From the headers Event Grid sets on every delivery: aeg-subscription-name
 * and aeg-delivery-count, "the number of attempts made for the event"
 * (https://learn.microsoft.com/azure/event-grid/receive-events), read as the
 * attempts before this one. receiveCount counts this one too, like SQS's
 * ApproximateReceiveCount, so the pipeline dead-letters an event that keeps
 * failing; were the header to count this attempt already, that happens one
 * attempt early, never late.
 */
export function deliveryContext(request: Pick<RouteRequest, 'headers'>): DeliveryContext {
  const name = request.headers['aeg-subscription-name'];
  const count = Number(request.headers['aeg-delivery-count']);
  return {
    subscriptionName: typeof name === 'string' && name.trim() !== '' ? name.trim() : 'webhook',
    receiveCount: Number.isInteger(count) && count >= 0 ? count + 1 : 1,
  };
}

export function receivedEvent(
  id: string,
  body: unknown,
  context: DeliveryContext,
): ReceivedEventInit {
  return {
    id,
    body,
    receiveCount: context.receiveCount,
    source: `eventgrid:${context.subscriptionName}/${id}`,
  };
}

/**
 * An id for an event that has none: a digest of its JSON, so a redelivery of
 * the same broken event gets the same id (and is dead-lettered once).
 */
export function contentId(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return `unreadable-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}
