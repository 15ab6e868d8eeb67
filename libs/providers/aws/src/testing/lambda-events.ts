import type { Message } from '@aws-sdk/client-sqs';
import type { SqsLambdaRecord } from '../sqs/lambda-sqs.js';
import { ACCOUNT, REGION } from './config-events.js';

/**
 * A received SQS message as the record of a Lambda SQS event, the way the
 * event source mapping hands it over (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
 */
export function lambdaSqsRecord(
  message: Message,
  queueArn: string,
  region = REGION,
): SqsLambdaRecord {
  const a = message.Attributes ?? {};
  const { MessageId, ReceiptHandle, Body } = message;
  if (!MessageId || !ReceiptHandle || Body === undefined || !a.ApproximateReceiveCount) {
    throw new Error('receive the message with its body and MessageSystemAttributeNames ["All"]');
  }
  return {
    messageId: MessageId,
    receiptHandle: ReceiptHandle,
    body: Body,
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount,
      SentTimestamp: a.SentTimestamp,
      SenderId: a.SenderId,
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp,
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * The event EventBridge sends the target of a schedule rule
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html).
 */
export function scheduledEvent(ruleArn: string, region = REGION) {
  return {
    version: '0',
    id: 'c1d2e3f4-0000-4000-8000-000000000001',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: new Date().toISOString(),
    region,
    resources: [ruleArn],
    detail: {},
  };
}
