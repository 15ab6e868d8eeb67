export { sqsEventSource } from './sqs-event-source.js';
export type { SqsEventSourceOptions } from './sqs-event-source.js';
export { DEAD_LETTER_ATTRIBUTES, SqsDeadLetterSink } from './sqs-dead-letter.js';
export type { SqsDeadLetterOptions } from './sqs-dead-letter.js';
export { lambdaSqsEvents } from './lambda-sqs.js';
export { parseQueueArn } from './queue-names.js';
export type {
  LambdaSqsBatch,
  SqsBatchResponse,
  SqsLambdaEvent,
  SqsLambdaMessageAttribute,
  SqsLambdaRecord,
  SqsLambdaRecordAttributes,
} from './lambda-sqs.js';
