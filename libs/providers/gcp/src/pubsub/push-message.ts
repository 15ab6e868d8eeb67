import { createHash } from 'node:crypto';
import {
  readSweepRequest,
  type ReceivedEventInit,
  type SweepRequest,
} from '@drift-detective/pipeline';
import { NormalizeError } from '@drift-detective/resource-model';
import { isTemporalAsset, readRecord } from '../asset.js';
import { isObject, type JsonObject } from '../decode/values.js';
import { decodePushData, isPubSubPush } from '../envelope/pubsub-push.js';

/** Why a push body can never be read: the label of its metric and the start of its reason. */
export type UnreadableReason =
  'bad_json' | 'not_a_push' | 'bad_data' | 'not_a_feed_message' | 'bad_sweep_request';

/** What one push request carries. */
export type PushDelivery =
  /** A feed message for the pipeline. */
  | { readonly kind: 'message'; readonly event: ReceivedEventInit; readonly deleted: boolean }
  /** A request to sweep one shard (sweep-request.ts), published by a scheduler: for the pipeline too. */
  | { readonly kind: 'sweep'; readonly event: ReceivedEventInit; readonly request: SweepRequest }
  /** The feed's plain-text welcome message: nothing to judge. */
  | { readonly kind: 'welcome'; readonly event: ReceivedEventInit }
  /** A body that no redelivery makes readable: dead-lettered and acknowledged. */
  | {
      readonly kind: 'unreadable';
      readonly event: ReceivedEventInit;
      readonly code: UnreadableReason;
      readonly reason: string;
    };

/**
 * Reads a push request body: `{message: {data, attributes, messageId, publishTime},
 * subscription, deliveryAttempt?}` (https://cloud.google.com/pubsub/docs/push#receive_push),
 * `data` being the base64 of a feed message, a TemporalAsset in JSON, or of the feed's
 * welcome string (https://cloud.google.com/asset-inventory/docs/monitor-asset-changes), or of
 * a sweep request (`{"kind": "drift-detective/sweep-shard", …}`, as `gcp sweep
 * --print-requests` writes it for Cloud Scheduler); one of that kind whose fields cannot be
 * read is unreadable, named by what is wrong. The
 * event: id = messageId (what Pub/Sub redelivers it under, so a redelivery is the same
 * event), body = the whole envelope (what the inventory unwraps, and what a dead letter
 * keeps), receiveCount = deliveryAttempt, which Pub/Sub sets only with a dead-letter policy
 * (https://cloud.google.com/pubsub/docs/handling-failures#track-delivery-attempts), else 1.
 * The same readers as the inventory decide what is readable, so what passes here the
 * pipeline can read too.
 */
export function readPushDelivery(raw: Buffer): PushDelivery {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8')) as unknown;
  } catch (error) {
    const text = raw.toString('utf8');
    return unreadable(contentId(text), text, 'bad_json', `body is not JSON: ${messageOf(error)}`);
  }
  if (!isPubSubPush(body)) {
    return unreadable(contentId(body), body, 'not_a_push', 'not a Pub/Sub push envelope');
  }
  const event = eventOf(body);
  if (event === null) {
    return unreadable(contentId(body), body, 'not_a_push', 'the push message has no messageId');
  }
  let decoded: unknown;
  try {
    decoded = decodePushData(body, event.source);
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    return { kind: 'unreadable', event, code: 'bad_data', reason: error.reason };
  }
  if (decoded === null) return { kind: 'welcome', event };
  let request: SweepRequest | undefined;
  try {
    request = readSweepRequest(decoded, event.source);
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    return { kind: 'unreadable', event, code: 'bad_sweep_request', reason: error.reason };
  }
  if (request !== undefined) return { kind: 'sweep', event, request };
  if (!isObject(decoded) || !isTemporalAsset(decoded)) {
    return {
      kind: 'unreadable',
      event,
      code: 'not_a_feed_message',
      reason: 'the message data is not a TemporalAsset',
    };
  }
  try {
    return { kind: 'message', event, deleted: readRecord(decoded, event.source).deleted };
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    return { kind: 'unreadable', event, code: 'not_a_feed_message', reason: error.reason };
  }
}

function eventOf(push: { message: JsonObject } & JsonObject): ReceivedEventInit | null {
  const { message } = push;
  const id = message['messageId'] ?? message['message_id'];
  if (typeof id !== 'string' || id === '') return null;
  const subscription = typeof push['subscription'] === 'string' ? push['subscription'] : 'push';
  const attempt = push['deliveryAttempt'];
  return {
    id,
    body: push,
    receiveCount:
      typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 1 ? attempt : 1,
    source: `pubsub:${subscription}/${id}`,
  };
}

function unreadable(
  id: string,
  body: unknown,
  code: UnreadableReason,
  reason: string,
): PushDelivery {
  return {
    kind: 'unreadable',
    event: { id, body, receiveCount: 1, source: `pubsub:${id}` },
    code,
    reason,
  };
}

/**
 * An id for a body without a messageId: a digest of it, so a redelivery of the same broken
 * body gets the same id.
 */
function contentId(body: unknown): string {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
  return `unreadable-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
