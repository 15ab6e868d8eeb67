import { NormalizeError, type NativeRecord } from '@drift-detective/resource-model';
import { parseJsonText } from '../decode/json-text.js';
import { isRecord, own, stringOr, type JsonObject } from '../decode/values.js';
import { shapeOf } from './shapes.js';

/** Envelopes nest (SQS body → SNS message → notification); no real one is deeper than this. */
const MAX_DEPTH = 8;

/**
 * Unwraps one document into native records: configuration items, or
 * notification messages holding one (normalize reads the item and its diff).
 * Lists keep going when an element is unreadable: it becomes a record that
 * normalize rejects. Throws NormalizeError on a document it cannot read.
 */
export function unwrapAws(document: unknown, source: string): NativeRecord[] {
  return unwrapValue(document, source, 0);
}

function unwrapValue(document: unknown, source: string, depth: number): NativeRecord[] {
  if (depth > MAX_DEPTH) throw new NormalizeError(source, 'envelopes nested too deep');
  if (Array.isArray(document)) {
    return document.flatMap((entry, index) =>
      elementRecords(entry, `${source}[${index}]`, depth + 1),
    );
  }
  if (!isRecord(document)) throw new NormalizeError(source, 'not a JSON object or array');
  const d = document;
  const next = (value: unknown) => unwrapValue(value, source, depth + 1);
  const list = (key: string) => listRecords(own(d, key), source, depth + 1);

  switch (shapeOf(d)) {
    case 'placebo':
      return next(placeboData(d, source));
    case 'select':
      // Each row is JSON text holding only the selected fields.
      // https://docs.aws.amazon.com/config/latest/APIReference/API_SelectResourceConfig.html
      return (own(d, 'Results') as unknown[]).map((row, index) =>
        record(
          typeof row === 'string' ? parseJsonText(row, `Results[${index}]`, source) : row,
          `${source}[${index}]`,
        ),
      );
    case 'itemList':
      // https://docs.aws.amazon.com/config/latest/APIReference/API_GetResourceConfigHistory.html
      return list('configurationItems');
    case 'baseItemList':
      // https://docs.aws.amazon.com/config/latest/APIReference/API_BatchGetResourceConfig.html
      return list('baseConfigurationItems');
    case 'eventBridge':
      // detail is the change notification itself.
      // https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html
      return [record(own(d, 'detail'), source)];
    case 'sns':
      // Message is JSON text on the wire (pretty-printed as an object in some docs).
      // https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
      return next(jsonField(d, 'Message', source));
    case 'sqsMessages':
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
      return list('Messages');
    case 'sqsMessage':
      return next(jsonField(d, 'Body', source));
    case 'lambdaRecords':
      // https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (body),
      // https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html (Sns.Message)
      return (own(d, 'Records') as unknown[]).flatMap((entry, index) =>
        lambdaRecord(entry, `${source}[${index}]`, depth + 1),
      );
    case 'ruleEvent':
      // https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html
      return next(jsonField(d, 'invokingEvent', source));
    case 'message':
      return messageRecords(d, source);
    case 'item':
      return [record(d, source)];
    case null:
      throw new NormalizeError(
        source,
        `not an AWS Config document (keys: ${Object.keys(d).slice(0, 8).join(', ') || 'none'})`,
      );
  }
}

function record(value: unknown, source: string): NativeRecord {
  return { provider: 'aws', source, value };
}

/** A list element: an envelope to open, or (item, unreadable value) a record of its own. */
function elementRecords(entry: unknown, source: string, depth: number): NativeRecord[] {
  const shape = shapeOf(entry);
  return shape === null || shape === 'item'
    ? [record(entry, source)]
    : unwrapValue(entry, source, depth);
}

function listRecords(list: unknown, source: string, depth: number): NativeRecord[] {
  return (list as unknown[]).flatMap((entry, index) =>
    elementRecords(entry, `${source}[${index}]`, depth),
  );
}

function jsonField(d: JsonObject, key: string, source: string): unknown {
  const value = own(d, key);
  return typeof value === 'string' ? parseJsonText(value, key, source) : value;
}

/** A recorded boto3 call: its response, or the error it answered with. */
function placeboData(d: JsonObject, source: string): unknown {
  const status = own(d, 'status_code');
  const data = own(d, 'data');
  if (status !== 200) {
    const error = isRecord(data) ? own(data, 'Error') : undefined;
    const code = isRecord(error) ? stringOr(own(error, 'Code')) : null;
    throw new NormalizeError(
      source,
      `recorded call failed with status ${String(status)}${code ? ` (${code})` : ''}`,
    );
  }
  if (shapeOf(data) === null && !Array.isArray(data)) {
    throw new NormalizeError(source, 'recorded call answered with no configuration items');
  }
  return data;
}

function lambdaRecord(entry: unknown, source: string, depth: number): NativeRecord[] {
  if (isRecord(entry) && own(entry, 'eventSource') === 'aws:sqs') {
    return unwrapValue(jsonField(entry, 'body', source), source, depth);
  }
  const sns = isRecord(entry) ? own(entry, 'Sns') : undefined;
  if (isRecord(entry) && own(entry, 'EventSource') === 'aws:sns' && isRecord(sns)) {
    return unwrapValue(jsonField(sns, 'Message', source), source, depth);
  }
  throw new NormalizeError(source, 'Lambda event record from neither SQS nor SNS');
}

/**
 * A notification message is one record (normalize reads its item and diff).
 * The 2014 notification format held a list of items in configurationItem: one
 * record per item, each with the message around it.
 */
function messageRecords(d: JsonObject, source: string): NativeRecord[] {
  const items = own(d, 'configurationItem');
  if (!Array.isArray(items)) return [record(d, source)];
  return items.map((item, index) =>
    record({ ...d, configurationItem: item }, `${source}[${index}]`),
  );
}
