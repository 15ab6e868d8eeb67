import {
  CoalescingPublisher,
  runEvents,
  type DeadLetterSink,
  type EventDeps,
  type EventSource,
  type EventSummary,
} from '@drift-detective/pipeline';
import type { ConfigurationNotIncluded } from '@drift-detective/resource-model';
import { fetchLatestConfiguration } from '../config/history-fetch.js';
import { awsInventory } from '../inventory.js';
import { SqsDeadLetterSink } from '../sqs/sqs-dead-letter.js';
import { sqsEventSource } from '../sqs/sqs-event-source.js';
import { queueRegion, type AwsClients } from './clients.js';
import type { AwsAdapterConfig } from './config.js';
import { accountContextEnricher } from './event-context.js';
import type { AwsPipelineDeps } from './sweep.js';

/**
 * The event pipeline wired for AWS: the AWS inventory, oversized items
 * fetched from Config history, S3 events given their account's Block Public
 * Access, and a dead-letter sink.
 */
export function awsEventDeps(options: {
  readonly clients: AwsClients;
  readonly deps: AwsPipelineDeps;
  readonly deadLetter: DeadLetterSink;
  /** Where Config is asked about items that name no region of their own (IAM's "global"). */
  readonly homeRegion: string;
}): EventDeps {
  const { clients, homeRegion } = options;
  const configFor = (region: string | undefined) =>
    clients.config(region && region !== 'global' ? region : homeRegion);
  return {
    ...options.deps,
    // Events handled at once share one Security Hub request instead of one each.
    publisher: new CoalescingPublisher(options.deps.publisher),
    inventory: awsInventory,
    deadLetter: options.deadLetter,
    fetch: (missing: ConfigurationNotIncluded) =>
      fetchLatestConfiguration(configFor(missing.resource.region), missing),
    enrich: accountContextEnricher((region) => configFor(region)),
  };
}

/** Runs the event pipeline over a source with the adapter's concurrency and attempts. */
export function runAwsEvents(
  source: EventSource,
  deps: EventDeps,
  config: Pick<AwsAdapterConfig, 'concurrency' | 'maxAttempts'>,
): Promise<EventSummary> {
  return runEvents(source, deps, {
    concurrency: config.concurrency,
    maxAttempts: config.maxAttempts,
  });
}

export interface AwsWorkerOptions {
  readonly config: AwsAdapterConfig;
  readonly clients: AwsClients;
  readonly deps: AwsPipelineDeps;
  /** Aborting drains: no new receive, what was started finishes. */
  readonly signal?: AbortSignal | undefined;
}

/** `drift-detective aws worker`: long-polls the queue until the signal aborts. */
export async function awsWorker(options: AwsWorkerOptions): Promise<EventSummary> {
  const { config, clients } = options;
  const queueUrl = config.queueUrl;
  if (!queueUrl) throw new Error('the worker needs a queue URL (--queue-url, DRIFT_AWS_QUEUE_URL)');
  const region = queueRegion(queueUrl) ?? (await clients.defaultRegion());
  const sqs = clients.sqs(region);
  const source = sqsEventSource({
    client: sqs,
    queueUrl,
    signal: options.signal,
    logger: options.deps.logger,
    maxBuffered: config.concurrency * 2,
  });
  const deadLetter = new SqsDeadLetterSink({
    client: sqs,
    sourceQueueUrl: queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl ?? undefined,
    logger: options.deps.logger,
  });
  const deps = awsEventDeps({
    clients,
    deps: options.deps,
    deadLetter,
    homeRegion: config.homeRegion ?? region,
  });
  return runAwsEvents(source, deps, config);
}
