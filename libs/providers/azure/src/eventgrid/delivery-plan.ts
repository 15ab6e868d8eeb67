import type { ReceivedEventInit } from '@drift-detective/pipeline';
import { asText, at } from '../decode/json.js';
import { roleOf, typeLabel } from './event-types.js';
import { parseDelivery, type GridEvent, type RejectReason } from './grid-event.js';
import type { EventGridMetrics } from './metrics.js';
import { contentId, receivedEvent, type DeliveryContext } from './received-event.js';
import { changeNoticeOf, unreadableNotice } from './resource-change.js';

/** What a delivery asks for: events for the pipeline, a handshake to answer, counts for the answer. */
export interface DeliveryPlan {
  readonly events: ReceivedEventInit[];
  validationCode: string | undefined;
  received: number;
  ignored: number;
  readonly rejected: { id: string; reason: string }[];
}

type Reject = (raw: unknown, id: string | null, code: RejectReason, reason: string) => void;

/**
 * Sorts the events of a parsed delivery body: writes and deletes become
 * change notices for the pipeline; the validation event's code is kept for
 * the answer; other types are counted and left; an event that cannot be read
 * goes to the pipeline as an unreadable notice, which it dead-letters with
 * the reason, so it neither blocks nor vanishes. Throws DeliveryShapeError
 * for a body that is no delivery.
 */
export function planDelivery(
  body: unknown,
  context: DeliveryContext,
  metrics: EventGridMetrics,
): DeliveryPlan {
  const plan: DeliveryPlan = {
    events: [],
    validationCode: undefined,
    received: 0,
    ignored: 0,
    rejected: [],
  };
  const reject: Reject = (raw, id, code, reason) => {
    const eventId = id ?? contentId(raw);
    metrics.events.inc({ outcome: 'rejected', reason: code });
    plan.rejected.push({ id: eventId, reason });
    plan.events.push(receivedEvent(eventId, unreadableNotice(reason, raw), context));
  };
  for (const item of parseDelivery(body)) {
    plan.received += 1;
    if ('unreadable' in item) {
      const { raw, id, code, reason } = item.unreadable;
      reject(raw, id, code, reason);
      continue;
    }
    const event = item.event;
    metrics.events.inc({ outcome: 'received', reason: event.schema });
    const role = roleOf(event.type);
    if (role === 'ignored') {
      plan.ignored += 1;
      metrics.events.inc({ outcome: 'ignored', reason: typeLabel(event.type) });
    } else if (role === 'validation') {
      planValidation(event, plan, reject);
    } else {
      planChange(event, role, plan, context, reject);
    }
  }
  return plan;
}

function planValidation(event: GridEvent, plan: DeliveryPlan, reject: Reject): void {
  const code = asText(at(event.data, 'validationCode'));
  if (code !== null) plan.validationCode = code;
  else reject(event.raw, event.id, 'no_validation_code', 'validation event without validationCode');
}

function planChange(
  event: GridEvent,
  operation: 'write' | 'delete',
  plan: DeliveryPlan,
  context: DeliveryContext,
  reject: Reject,
): void {
  const notice = changeNoticeOf(event, operation);
  if ('code' in notice) reject(event.raw, event.id, notice.code, notice.reason);
  else plan.events.push(receivedEvent(event.id, notice, context));
}
