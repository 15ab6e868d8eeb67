import { isObject, type JsonObject } from '../decode/json.js';

/** The two schemas Event Grid delivers in: https://learn.microsoft.com/azure/event-grid/event-schema, https://learn.microsoft.com/azure/event-grid/cloud-event-schema */
export type DeliverySchema = 'eventgrid' | 'cloudevents';

/** One event, whichever schema carried it. */
export interface GridEvent {
  readonly schema: DeliverySchema;
  readonly id: string;
  /** `eventType` (Event Grid schema) or `type` (CloudEvents). */
  readonly type: string;
  /** `topic` (Event Grid schema) or `source` (CloudEvents). */
  readonly topic: string | null;
  readonly subject: string | null;
  /** `eventTime` or `time`, as written. */
  readonly time: string | null;
  readonly data: unknown;
  /** The event as delivered, for a dead-letter record. */
  readonly raw: JsonObject;
}

/** Why one event of a delivery cannot be read: a bounded set, for metric labels. */
export type RejectReason =
  | 'not_an_event'
  | 'no_id'
  | 'unsupported_specversion'
  | 'no_resource_id'
  | 'bad_time'
  | 'no_validation_code';

/** An event that cannot be read, kept whole for the dead-letter record. */
export interface UnreadableEvent {
  readonly raw: unknown;
  /** Its id when it has one. */
  readonly id: string | null;
  readonly code: RejectReason;
  readonly reason: string;
}

export type DeliveredItem =
  { readonly event: GridEvent } | { readonly unreadable: UnreadableEvent };

/** A body that is no delivery at all: answered 400, nothing processed. */
export class DeliveryShapeError extends Error {
  override readonly name = 'DeliveryShapeError';
}

/**
 * The events of a delivery body (parsed JSON). Event Grid schema: always a
 * JSON array, a single event too
 * (https://learn.microsoft.com/azure/event-grid/delivery-and-retry). CloudEvents
 * structured mode: one object (`application/cloudevents+json`) or an array
 * (`application/cloudevents-batch+json`)
 * (https://learn.microsoft.com/azure/event-grid/cloud-event-schema). The shape
 * decides, not the Content-Type: a mislabelled body is still read right.
 * One unreadable event does not spoil its batch-mates.
 */
export function parseDelivery(body: unknown): DeliveredItem[] {
  if (Array.isArray(body)) return body.map(readItem);
  if (isObject(body) && Object.hasOwn(body, 'specversion')) return [readItem(body)];
  throw new DeliveryShapeError('expected a JSON array of events or one CloudEvent');
}

function readItem(item: unknown): DeliveredItem {
  if (!isObject(item)) return unreadable(item, null, 'not_an_event', 'not a JSON object');
  const id = text(item['id']);
  if (Object.hasOwn(item, 'specversion')) return readCloudEvent(item, id);
  const type = text(item['eventType']);
  if (type === null) return unreadable(item, id, 'not_an_event', 'no eventType and no specversion');
  if (id === null) return unreadable(item, null, 'no_id', `${type} without an id`);
  return {
    event: {
      schema: 'eventgrid',
      id,
      type,
      topic: text(item['topic']),
      subject: text(item['subject']),
      time: text(item['eventTime']),
      data: item['data'],
      raw: item,
    },
  };
}

/** CloudEvents 1.0 requires id, source, specversion and type (https://github.com/cloudevents/spec/blob/v1.0/spec.md). */
function readCloudEvent(item: JsonObject, id: string | null): DeliveredItem {
  if (item['specversion'] !== '1.0') {
    return unreadable(
      item,
      id,
      'unsupported_specversion',
      `specversion ${JSON.stringify(item['specversion'])}, not "1.0"`,
    );
  }
  const type = text(item['type']);
  if (type === null) return unreadable(item, id, 'not_an_event', 'CloudEvent without a type');
  if (id === null) return unreadable(item, null, 'no_id', `${type} without an id`);
  return {
    event: {
      schema: 'cloudevents',
      id,
      type,
      topic: text(item['source']),
      subject: text(item['subject']),
      time: text(item['time']),
      data: item['data'],
      raw: item,
    },
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function unreadable(
  raw: unknown,
  id: string | null,
  code: RejectReason,
  reason: string,
): { unreadable: UnreadableEvent } {
  return { unreadable: { raw, id, code, reason } };
}
