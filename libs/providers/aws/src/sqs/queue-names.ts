/**
 * Queue URL and ARN reading. A queue URL is https://sqs.<region>.amazonaws.com/<account>/<name>
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html);
 * an emulator serves the same path on its own host.
 */

/** The queue name: the URL's last path segment. */
export function queueNameOfUrl(queueUrl: string): string {
  let path = queueUrl;
  try {
    path = new URL(queueUrl).pathname;
  } catch {
    // Not a URL: read it as a bare path.
  }
  const segments = path.split('/').filter((s) => s.length > 0);
  return segments[segments.length - 1] ?? queueUrl;
}

export interface QueueArn {
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

/** arn:<partition>:sqs:<region>:<account>:<name>, or null when it is no SQS queue ARN. */
export function parseQueueArn(arn: string): QueueArn | null {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs') return null;
  const [, , , region, account, name] = parts as [string, string, string, string, string, string];
  if (!region || !account || !name) return null;
  return { region, account, name };
}

/** FIFO queue names end in .fifo (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues.html). */
export function isFifoQueue(nameUrlOrArn: string): boolean {
  return nameUrlOrArn.endsWith('.fifo');
}
