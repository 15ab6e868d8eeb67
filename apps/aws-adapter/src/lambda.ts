// The AWS adapter's Lambda entry points: index.sqsHandler for the SQS event
// source of Config change events, index.eventHandler for an EventBridge rule
// targeting the function directly, index.sweepHandler for a scheduled sweep,
// and index.handler, which serves all three from one function (deploy/aws).
import { describeError, type DeadLetterSink, type ReceivedEvent } from '@drift-detective/pipeline';
import {
  awsEventDeps,
  awsSweep,
  enqueueAwsSweep,
  parseQueueArn,
  lambdaSqsEvents,
  runAwsEvents,
  SqsDeadLetterSink,
  type RegionSweep,
  type SqsBatchResponse,
  type SqsLambdaEvent,
} from '@drift-detective/provider-aws';
import { ChangeMessageVisibilityCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { createRuntime, type AdapterRuntime } from './runtime.js';

// One runtime per execution environment: the policy, the state file and the
// clients outlive an invocation (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
let runtime: Promise<AdapterRuntime> | undefined;

function current(): Promise<AdapterRuntime> {
  runtime ??= createRuntime().catch((error: unknown) => {
    runtime = undefined; // a failed start is retried by the next invocation
    throw error;
  });
  return runtime;
}

/** Queue URLs by ARN, asked once per execution environment. */
const queueUrls = new Map<string, Promise<string>>();

/** arn:aws:sqs:<region>:<account>:<name> → its URL, asked of SQS once (endpoints may be overridden). */
function queueUrlOf(rt: AdapterRuntime, arn: string): Promise<string> {
  let url = queueUrls.get(arn);
  if (!url) {
    url = askQueueUrl(rt, arn);
    queueUrls.set(arn, url);
    url.catch(() => queueUrls.delete(arn));
  }
  return url;
}

async function askQueueUrl(rt: AdapterRuntime, arn: string): Promise<string> {
  const queue = parseQueueArn(arn);
  if (!queue) throw new Error(`not an SQS queue ARN: ${arn}`);
  const { region, account, name } = queue;
  const answer = await rt.clients
    .sqs(region)
    .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
  if (!answer.QueueUrl) throw new Error(`SQS named no URL for ${arn}`);
  return answer.QueueUrl;
}

/** What Lambda's context tells the handler (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html). */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Time kept back from the invocation's end: a shard swept from a sweep request
 * stops after its page this long before Lambda would end the invocation, so
 * its checkpoint is saved and the request handed back whole.
 */
const SWEEP_STOP_MARGIN_MS = 30_000;

/** Aborts SWEEP_STOP_MARGIN_MS before the invocation ends; never without a context. */
function beforeTimeout(context: LambdaContext | undefined): {
  signal?: AbortSignal;
  clear(): void;
} {
  if (typeof context?.getRemainingTimeInMillis !== 'function') return { clear: () => undefined };
  const remaining = context.getRemainingTimeInMillis();
  const stop = new AbortController();
  const timer = setTimeout(
    () => stop.abort('the invocation is ending'),
    Math.max(0, remaining - SWEEP_STOP_MARGIN_MS),
  );
  return { signal: stop.signal, clear: () => clearTimeout(timer) };
}

/**
 * SQS event source handler. Needs FunctionResponseTypes ["ReportBatchItemFailures"]
 * on the event source mapping: the answer names exactly the messages to
 * deliver again; the rest are deleted by Lambda. A message may be a sweep
 * request (`aws sweep --enqueue`, the scheduled sweepHandler with
 * DRIFT_AWS_SWEEP_ENQUEUE): its shard is swept here, cut before the
 * invocation's timeout and resumed from its checkpoint on redelivery.
 */
export async function sqsHandler(
  event: SqsLambdaEvent,
  context?: LambdaContext,
): Promise<SqsBatchResponse> {
  const rt = await current();
  const batch = lambdaSqsEvents(event, {
    // A record handed back comes back after its retry delay, not the queue's long timeout.
    delay: async (record, seconds) => {
      const region = parseQueueArn(record.eventSourceARN)?.region ?? rt.homeRegion;
      await rt.clients.sqs(region).send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await queueUrlOf(rt, record.eventSourceARN),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    },
    onDelayFailed: (record, error) =>
      rt.logger.warn(
        { messageId: record.messageId, error: describeError(error) },
        "retry delay not set: the record comes back after the queue's visibility timeout",
      ),
  });
  const stop = beforeTimeout(context);
  const arn = event.Records[0]?.eventSourceARN;
  const region = (arn && parseQueueArn(arn)?.region) ?? rt.homeRegion;
  const dlqUrl = rt.config.deadLetterQueueUrl ?? undefined;
  const deadLetter = new SqsDeadLetterSink({
    client: rt.clients.sqs(region),
    // The source queue's URL only serves to find its RedrivePolicy target: with
    // DRIFT_AWS_DLQ_URL set, the role needs no sqs:GetQueueUrl on the source queue.
    sourceQueueUrl: arn && dlqUrl === undefined ? await queueUrlOf(rt, arn) : undefined,
    deadLetterQueueUrl: dlqUrl,
    logger: rt.logger,
  });
  const deps = awsEventDeps({
    clients: rt.clients,
    deps: rt.deps,
    deadLetter,
    homeRegion: rt.homeRegion,
    sweeps: { config: rt.config, signal: stop.signal },
  });
  let summary;
  try {
    summary = await runAwsEvents(batch.source, deps, rt.config);
  } finally {
    stop.clear();
  }
  const failures = batch.failures();
  rt.logger.info(
    { ...summary, records: event.Records.length, failed: failures.batchItemFailures.length },
    'sqs batch done',
  );
  return failures;
}

/**
 * An EventBridge rule targeting the function directly: the event is the
 * "Config Configuration Item Change" event itself. Lambda invokes such targets
 * asynchronously and retries a failed invocation twice, then hands the event
 * to the function's on-failure destination or DLQ
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html):
 * so a failure throws, and nothing is acknowledged that was not saved and
 * published. Poison goes to DRIFT_AWS_DLQ_URL when set, else it throws too.
 */
export async function eventHandler(event: { id?: string } & Record<string, unknown>) {
  const rt = await current();
  const id = typeof event.id === 'string' ? event.id : 'eventbridge-event';
  let failure: string | undefined;
  let acked = false;
  const received: ReceivedEvent = {
    id,
    body: event,
    // Lambda does not tell an async retry from the first try: the pipeline never
    // gives up on attempts here; Lambda's own retries and destination do.
    receiveCount: 1,
    source: `eventbridge:${id}`,
    ack: () => {
      acked = true;
      return Promise.resolve();
    },
    nack: (reason) => {
      failure = reason;
      return Promise.resolve();
    },
  };
  const dlqUrl = rt.config.deadLetterQueueUrl;
  const deadLetter: DeadLetterSink = dlqUrl
    ? new SqsDeadLetterSink({
        client: rt.clients.sqs(rt.homeRegion),
        deadLetterQueueUrl: dlqUrl,
        logger: rt.logger,
      })
    : {
        put: () =>
          Promise.reject(new Error('no dead-letter queue (DRIFT_AWS_DLQ_URL): left to Lambda')),
      };
  const deps = awsEventDeps({
    clients: rt.clients,
    deps: rt.deps,
    deadLetter,
    homeRegion: rt.homeRegion,
  });
  await runAwsEvents(
    (async function* () {
      yield received;
    })(),
    deps,
    { ...rt.config, maxAttempts: Number.MAX_SAFE_INTEGER },
  );
  if (!acked) throw new Error(`event ${id} not handled: ${failure ?? 'no outcome'}`);
  return { acked };
}

export interface SweepHandlerResult {
  readonly completed: boolean;
  readonly sweeps: readonly Pick<
    RegionSweep,
    | 'region'
    | 'account'
    | 'pages'
    | 'resources'
    | 'skipped'
    | 'completed'
    | 'resolvedDeleted'
    | 'findings'
  >[];
}

/**
 * Scheduled sweep handler (an EventBridge schedule; the event itself is not
 * read). An interrupted or incomplete sweep resumes from its checkpoint on the
 * next run when the state file outlives the environment.
 */
export async function sweepHandler(): Promise<SweepHandlerResult | SweepEnqueuedResult> {
  const rt = await current();
  if (rt.config.enqueue) return enqueueSweep(rt);
  const sweeps = await awsSweep({
    config: rt.config,
    clients: rt.clients,
    deps: rt.deps,
    onProgress: (region, p) =>
      rt.logger.info({ region, pages: p.pages, resources: p.resources }, 'sweep progress'),
  });
  const result = {
    completed: sweeps.every((s) => s.completed),
    sweeps: sweeps.map(
      ({ region, account, pages, resources, skipped, completed, resolvedDeleted, findings }) => ({
        region,
        account,
        pages,
        resources,
        skipped,
        completed,
        resolvedDeleted,
        // What happened to findings in this run, by transition, as `aws sweep` prints it.
        findings,
      }),
    ),
  };
  rt.logger.info(result, 'sweep done');
  return result;
}

export interface SweepEnqueuedResult {
  /** The shards asked for, one sweep request each on the queue. */
  readonly enqueued: readonly string[];
}

/**
 * The schedule with DRIFT_AWS_SWEEP_ENQUEUE: one sweep request per shard on
 * the function's own queue (DRIFT_AWS_QUEUE_URL), so each account and region
 * is swept by whichever execution environment takes it, each within its own
 * invocation's time, instead of all of them in this one.
 */
async function enqueueSweep(rt: AdapterRuntime): Promise<SweepEnqueuedResult> {
  const queueUrl = rt.config.queueUrl;
  if (queueUrl === null) {
    throw new Error('DRIFT_AWS_SWEEP_ENQUEUE needs the queue to send to: DRIFT_AWS_QUEUE_URL');
  }
  const enqueued = await enqueueAwsSweep({
    config: rt.config,
    clients: rt.clients,
    queueUrl,
    now: new Date(),
  });
  rt.logger.info({ enqueued, queueUrl }, 'sweep requests sent');
  return { enqueued };
}

/** An EventBridge schedule's event (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html). */
function isScheduledEvent(event: Record<string, unknown>): boolean {
  return event['source'] === 'aws.events' && event['detail-type'] === 'Scheduled Event';
}

/** A batch from an SQS event source mapping: every record says `eventSource: "aws:sqs"`. */
function isSqsBatch(
  event: Record<string, unknown>,
): event is Record<string, unknown> & SqsLambdaEvent {
  const records = event['Records'];
  return (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every((r) => (r as { eventSource?: unknown } | null)?.eventSource === 'aws:sqs')
  );
}

/**
 * One function for events and sweeps: what deploy/aws deploys, so the queue's
 * events and the schedule's sweeps share one execution environment and one
 * state file (reserved concurrency 1). Dispatches on the event's shape; what
 * is neither an SQS batch nor a schedule is an EventBridge event delivered
 * directly, which eventHandler judges or refuses.
 */
export async function handler(
  event: Record<string, unknown>,
  context?: LambdaContext,
): Promise<SqsBatchResponse | SweepHandlerResult | SweepEnqueuedResult | { acked: boolean }> {
  if (isSqsBatch(event)) return sqsHandler(event, context);
  if (isScheduledEvent(event)) return sweepHandler();
  return eventHandler(event);
}
