import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  CoalescingPublisher,
  DependencyHealth,
  runEvents,
  trackedPublisher,
  type DeadLetterSink,
  type DependencyProbe,
  type EventDeps,
  type EventSource,
  type EventSummary,
  type PipelineMetrics,
} from '@drift-detective/pipeline';
import type { ConfigurationNotIncluded } from '@drift-detective/resource-model';
import { fetchLatestConfiguration } from '../config/history-fetch.js';
import { awsInventory } from '../inventory.js';
import { SqsDeadLetterSink } from '../sqs/sqs-dead-letter.js';
import { sqsEventSource } from '../sqs/sqs-event-source.js';
import { regionOfQueue, type AwsClients } from './clients.js';
import type { AwsAdapterConfig } from './config.js';
import { accountContextEnricher } from './event-context.js';
import type { AwsPipelineDeps } from './sweep.js';
import { awsSweepRequests } from './sweep-requests.js';

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
  /**
   * The settings whose shards sweep requests on the queue may name, and the
   * stop that cuts a shard after its page; without them a request is poison.
   */
  readonly sweeps?: {
    readonly config: AwsAdapterConfig;
    readonly signal?: AbortSignal | undefined;
  };
}): EventDeps {
  const { clients, homeRegion, sweeps } = options;
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
    sweeps:
      sweeps &&
      awsSweepRequests({
        config: sweeps.config,
        clients,
        deps: options.deps,
        signal: sweeps.signal,
      }),
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
  /**
   * Told how each queue receive (`source`) and each Security Hub import
   * (`hub`) ends: what /readyz reports. Default: a record nobody reads.
   */
  readonly health?: DependencyHealth | undefined;
}

/** `drift-detective aws worker`: long-polls the queue until the signal aborts. */
export async function awsWorker(options: AwsWorkerOptions): Promise<EventSummary> {
  const { config, clients } = options;
  const queueUrl = config.queueUrl;
  if (!queueUrl) throw new Error('the worker needs a queue URL (--queue-url, DRIFT_AWS_QUEUE_URL)');
  const region = await regionOfQueue(clients, queueUrl);
  const sqs = clients.sqs(region);
  const health = options.health ?? new DependencyHealth();
  const source = sqsEventSource({
    client: observingReceives(sqs, {
      source: health.dependency('source'),
      metrics: options.deps.metrics,
      signal: options.signal,
    }),
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
    // Inside the coalescing publisher: one combined Security Hub call, one record.
    deps: {
      ...options.deps,
      publisher: trackedPublisher(options.deps.publisher, health.dependency('hub')),
    },
    deadLetter,
    homeRegion: config.homeRegion ?? region,
    sweeps: { config, signal: options.signal },
  });
  return runAwsEvents(source, deps, config);
}

/**
 * The queue client as the source sees it: each receive — ReceiveMessage, and
 * the GetQueueAttributes that reads the visibility timeout before the first —
 * tells `source` how it ended, and a failure counts in
 * drift_errors_total{kind="receive"}. The source retries failed receives on
 * its own and only logs them, so without this a worker whose queue refuses
 * every connection would look healthy. Only the source holds this view of the
 * client (the dead-letter sink uses the client itself), so only its receives
 * count; a poll cut by the drain is no failure.
 */
function observingReceives(
  client: SQSClient,
  options: {
    readonly source: DependencyProbe;
    readonly metrics: PipelineMetrics | undefined;
    readonly signal: AbortSignal | undefined;
  },
): SQSClient {
  const send = client.send.bind(client) as (command: unknown, sendOptions?: unknown) => unknown;
  const receives = (command: unknown) =>
    command instanceof ReceiveMessageCommand || command instanceof GetQueueAttributesCommand;
  // Everything but send (config, middleware, destroy) stays the client's own.
  const observed = Object.create(client) as SQSClient;
  Object.defineProperty(observed, 'send', {
    value: async (command: unknown, sendOptions?: unknown) => {
      if (!receives(command)) return send(command, sendOptions);
      try {
        const out = await send(command, sendOptions);
        options.source.succeeded();
        return out;
      } catch (error) {
        if (!options.signal?.aborted) {
          options.source.failed(error);
          options.metrics?.errors.inc({ kind: 'receive' });
        }
        throw error;
      }
    },
  });
  return observed;
}
