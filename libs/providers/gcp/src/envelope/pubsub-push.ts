import { Buffer } from 'node:buffer';
import { NormalizeError } from '@drift-detective/resource-model';
import { isObject, type JsonObject } from '../decode/values.js';

/**
 * A Pub/Sub push request body: `{message: {data: "<base64>", attributes, messageId, …},
 * subscription}`.
 * https://cloud.google.com/pubsub/docs/push
 */
export function isPubSubPush(value: unknown): value is { message: JsonObject } {
  if (!isObject(value) || !isObject(value['message'])) return false;
  const message = value['message'];
  return (
    typeof message['data'] === 'string' &&
    (typeof value['subscription'] === 'string' ||
      typeof message['messageId'] === 'string' ||
      typeof message['message_id'] === 'string')
  );
}

/**
 * The first message a Cloud Asset feed publishes to its topic is a welcome message in the form
 * of a string, not a TemporalAsset ("You have successfully configured real time feed '…'").
 * It carries no asset state: no record, and no error.
 * https://cloud.google.com/asset-inventory/docs/monitor-asset-changes
 */
const FEED_WELCOME = /^You have successfully configured real time feed/;

/** What the push carries: the decoded JSON, or null for the feed's welcome message. */
export function decodePushData(push: { message: JsonObject }, source: string): unknown {
  const data = push.message['data'];
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 === 1) {
    throw new NormalizeError(source, 'Pub/Sub message data is not base64');
  }
  const decoded = Buffer.from(data, 'base64').toString('utf8');
  if (FEED_WELCOME.test(decoded)) return null;
  try {
    return JSON.parse(decoded);
  } catch (error) {
    throw new NormalizeError(source, 'Pub/Sub message data is not JSON', { cause: error });
  }
}
