import { parseArn } from '../decode/arn.js';
import { has, isRecord, own, type JsonObject } from '../decode/values.js';
import { isMessage } from './message.js';

/**
 * The AWS documents this library reads, by shape. Each shape is told by keys
 * only AWS writes, so Azure (ARM ids "/subscriptions/…", Resource Graph
 * {data, totalRecords}) and GCP (Cloud Asset {name: "//…", assetType}) never match.
 */
export type Shape =
  /** placebo (boto3 recorder) {status_code, data} */
  | 'placebo'
  /** SelectResourceConfig / SelectAggregateResourceConfig answer {Results: [JSON text…], QueryInfo} */
  | 'select'
  /** GetResourceConfigHistory answer, Config snapshot or history file {configurationItems: […]} */
  | 'itemList'
  /** BatchGetResourceConfig answer {baseConfigurationItems: […]} */
  | 'baseItemList'
  /** EventBridge event {source: "aws.config", "detail-type", detail} */
  | 'eventBridge'
  /** SNS notification {Type: "Notification", Message} */
  | 'sns'
  /** SQS ReceiveMessage answer {Messages: […]} */
  | 'sqsMessages'
  /** One SQS message {Body: JSON text} */
  | 'sqsMessage'
  /** Lambda event from SQS or SNS {Records: [{eventSource: "aws:sqs", body} | {EventSource: "aws:sns", Sns}]} */
  | 'lambdaRecords'
  /** Config rule Lambda event {invokingEvent: JSON text} */
  | 'ruleEvent'
  /** A notification message {messageType, configurationItem, configurationItemDiff} */
  | 'message'
  /** One configuration item, either envelope, or a SelectResourceConfig row */
  | 'item';

export function shapeOf(document: unknown): Shape | null {
  if (!isRecord(document)) return null;
  const d = document;
  if (typeof own(d, 'status_code') === 'number' && has(d, 'data')) return 'placebo';
  if (Array.isArray(own(d, 'Results')) && isRecord(own(d, 'QueryInfo'))) return 'select';
  if (Array.isArray(own(d, 'configurationItems'))) return 'itemList';
  if (Array.isArray(own(d, 'baseConfigurationItems'))) return 'baseItemList';
  if (own(d, 'source') === 'aws.config' && has(d, 'detail-type') && has(d, 'detail')) {
    return 'eventBridge';
  }
  if (own(d, 'Type') === 'Notification' && has(d, 'Message')) return 'sns';
  if (Array.isArray(own(d, 'Messages'))) return 'sqsMessages';
  if (typeof own(d, 'Body') === 'string') return 'sqsMessage';
  if (isLambdaRecords(d)) return 'lambdaRecords';
  if (has(d, 'invokingEvent')) return 'ruleEvent';
  if (isMessage(d)) return 'message';
  if (isItem(d)) return 'item';
  return null;
}

function isLambdaRecords(d: JsonObject): boolean {
  const records = own(d, 'Records');
  if (!Array.isArray(records) || records.length === 0 || !isRecord(records[0])) return false;
  const first = records[0];
  return own(first, 'eventSource') === 'aws:sqs' || own(first, 'EventSource') === 'aws:sns';
}

/**
 * A configuration item: an AWS resource type, a capture time, an ARN, or the
 * configuration / supplementaryConfiguration pair of a SelectResourceConfig row.
 */
export function isItem(d: JsonObject): boolean {
  const type = own(d, 'resourceType');
  if (typeof type === 'string' && type.startsWith('AWS::')) return true;
  if (has(d, 'configurationItemCaptureTime')) return true;
  if (parseArn(own(d, 'ARN')) !== null || parseArn(own(d, 'arn')) !== null) {
    return has(d, 'configuration') || has(d, 'resourceType');
  }
  return has(d, 'configuration') && has(d, 'supplementaryConfiguration');
}
