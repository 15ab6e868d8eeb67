import {
  runPushedEvents,
  SettingsError,
  pushedEventDeps,
  type DeadLetterSink,
  type DependencyHealth,
  type EventDeps,
  type EventSummary,
  type PushEventSource,
  type Route,
} from '@drift-detective/pipeline';
import { gcpInventory } from '../inventory.js';
import {
  assetFeedEnricher,
  cloudAssetFirewallReader,
  cloudAssetHistoryReader,
  pubsubPushAuthenticator,
  pubsubPushMetrics,
  pubsubPushRoute,
  type PushAuthenticator,
} from '../pubsub/index.js';
import type { GcpAdapterConfig } from './config.js';
import type { GcpPipelineDeps, GcpRuntime } from './runtime.js';
import { gcpSweepRequests } from './sweep.js';

/**
 * How push callers are authenticated, from the settings: the OIDC token a
 * push subscription attaches, for its audience and signed as its service
 * account (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions).
 * Both are required: a push endpoint anyone can call would judge whatever it
 * is told.
 */
export function pushAuth(
  config: Pick<GcpAdapterConfig, 'pushAudience' | 'pushServiceAccount' | 'pushJwks'>,
): PushAuthenticator {
  if (config.pushAudience === null || config.pushServiceAccount === null) {
    throw new SettingsError(
      'gcp serve authenticates every push: set --push-audience (DRIFT_GCP_PUSH_AUDIENCE) and --push-service-account (DRIFT_GCP_PUSH_SERVICE_ACCOUNT)',
    );
  }
  return pubsubPushAuthenticator({
    audience: config.pushAudience,
    serviceAccountEmail: config.pushServiceAccount,
    jwks: config.pushJwks,
  });
}

/**
 * Where the feed's messages are completed from (batchGetAssetsHistory takes
 * an organization or a project, not a folder): the organization when it is
 * set, else the one project swept.
 */
export function historyParent(config: Pick<GcpAdapterConfig, 'organization' | 'projects'>): string {
  if (config.organization !== null) return `organizations/${config.organization}`;
  const [project, ...others] = config.projects;
  if (project !== undefined && others.length === 0) return `projects/${project}`;
  throw new SettingsError(
    'gcp serve reads the other half of each feed message under the organization (--organization, DRIFT_GCP_ORGANIZATION) or one project (--projects)',
  );
}

/** The push endpoint's routes, counting in the adapter's registry. */
export function pushRoutes(options: {
  readonly auth: PushAuthenticator;
  readonly push: PushEventSource;
  readonly deadLetter: DeadLetterSink;
  /** The adapter's Prometheus registry (the pipeline's metrics are in it too). */
  readonly registry: Parameters<typeof pubsubPushMetrics>[0];
  readonly logger?: GcpPipelineDeps['logger'];
}): Route[] {
  return [
    pubsubPushRoute({
      auth: options.auth,
      deliver: (events, signal) => options.push.deliver(events, signal),
      deadLetter: options.deadLetter,
      logger: options.logger,
      metrics: pubsubPushMetrics(options.registry),
    }),
  ];
}

/**
 * The event pipeline wired for GCP: feed messages completed with the other
 * content type of their asset (a RESOURCE message with its IAM policy, an
 * IAM_POLICY message with its resource) and judged by the GCP inventory,
 * which also reads their deletions; and sweep requests on the same
 * subscription, each sweeping one parent of the settings (gcpSweepRequests).
 */
export function gcpEventDeps(options: {
  readonly config: Pick<GcpAdapterConfig, 'organization' | 'projects' | 'folders' | 'assetTypes'>;
  readonly runtime: Pick<GcpRuntime, 'clients' | 'deps'>;
  readonly deadLetter: DeadLetterSink;
  /** Told how each SCC write ends: what /readyz reports as `hub`. */
  readonly health?: DependencyHealth | undefined;
  /** The worker's stop: a sweep request in progress ends after its page and is handed back. */
  readonly signal?: AbortSignal | undefined;
}): EventDeps {
  const { clients, deps } = options.runtime;
  const parent = historyParent(options.config);
  const events = pushedEventDeps(deps, {
    inventory: gcpInventory,
    deadLetter: options.deadLetter,
    health: options.health,
    enrich: assetFeedEnricher({
      history: cloudAssetHistoryReader(clients, { parent }),
      firewalls: cloudAssetFirewallReader(clients),
      parent,
    }),
  });
  return {
    ...events,
    sweeps: gcpSweepRequests({
      config: options.config,
      clients,
      // The same hub as the feed's messages: its writes count for /readyz too.
      deps: { ...deps, publisher: events.publisher },
      signal: options.signal,
    }),
  };
}

/**
 * `drift-detective gcp serve`: judges what Pub/Sub pushes until the signal
 * aborts; then refuses new deliveries (Pub/Sub redelivers them) and finishes
 * those it accepted (a sweep request after the page in progress: the rest is
 * handed back, and its next delivery resumes from the checkpoint).
 */
export function gcpServe(options: {
  readonly config: Pick<
    GcpAdapterConfig,
    'organization' | 'projects' | 'folders' | 'assetTypes' | 'concurrency' | 'maxAttempts'
  >;
  readonly runtime: Pick<GcpRuntime, 'clients' | 'deps'>;
  readonly push: PushEventSource;
  readonly deadLetter: DeadLetterSink;
  readonly health?: DependencyHealth | undefined;
  readonly signal?: AbortSignal | undefined;
}): Promise<EventSummary> {
  return runPushedEvents(options.push, gcpEventDeps(options), {
    concurrency: options.config.concurrency,
    maxAttempts: options.config.maxAttempts,
    signal: options.signal,
  });
}
