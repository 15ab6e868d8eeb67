import {
  labelledCounter,
  readKeySet,
  runPushedEvents,
  pushedEventDeps,
  SettingsError,
  type DeadLetterSink,
  type DependencyHealth,
  type EventDeps,
  type EventSummary,
  type PushEventSource,
  type Route,
} from '@drift-detective/pipeline';
import { readResourceForJudgement } from '../arm/read-resource.js';
import { eventGridAuthenticator, type EventGridAuthOptions } from '../eventgrid/auth.js';
import { eventGridEnricher } from '../eventgrid/enricher.js';
import { eventGridHandler } from '../eventgrid/handler.js';
import { withEventGridJudgements } from '../eventgrid/judgement.js';
import { EVENT_GRID_METRIC_NAMES } from '../eventgrid/metrics.js';
import { azureInventory } from '../inventory.js';
import type { AzureAdapterConfig } from './config.js';
import type { AzurePipelineDeps, AzureRuntime } from './runtime.js';

/**
 * The environment variable holding the webhook's shared secret(s), comma
 * separated while one is rotated. Only the environment: a secret on the
 * command line shows in `ps`, and one in a config file lands in a repository.
 * In Functions it is an app setting that references Key Vault.
 */
export const WEBHOOK_SECRET_ENV = 'DRIFT_AZURE_WEBHOOK_SECRET';

/** The query parameter Event Grid sends the secret in (part of the endpoint URL). */
export const WEBHOOK_SECRET_PARAMETER = 'code';

/**
 * How callers of the webhook are authenticated, from the settings: an Entra
 * ID token for the configured audience and tenant, a shared secret, or both.
 * Neither is a settings mistake: a webhook anyone can call would judge
 * whatever it is told.
 */
export function webhookAuth(
  config: Pick<AzureAdapterConfig, 'webhookAudience' | 'webhookTenant' | 'webhookJwks'>,
  env: NodeJS.ProcessEnv = process.env,
): EventGridAuthOptions {
  const secrets = (env[WEBHOOK_SECRET_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if ((config.webhookAudience === null) !== (config.webhookTenant === null)) {
    throw new SettingsError(
      'Entra ID callers need both the audience (--webhook-audience) and the tenant (--webhook-tenant)',
    );
  }
  const entra =
    config.webhookAudience !== null && config.webhookTenant !== null
      ? {
          tenantId: config.webhookTenant,
          audience: config.webhookAudience,
          jwks: readKeySet(config.webhookJwks, 'webhook JWKS'),
        }
      : undefined;
  const sharedSecret =
    secrets.length > 0 ? { secrets, queryParameter: WEBHOOK_SECRET_PARAMETER } : undefined;
  if (!entra && !sharedSecret) {
    throw new SettingsError(
      `azure serve authenticates every caller: set --webhook-audience and --webhook-tenant (Entra ID), or ${WEBHOOK_SECRET_ENV}`,
    );
  }
  return { entra, sharedSecret };
}

/** The webhook's routes, counting in the adapter's registry. */
export function webhookRoutes(options: {
  readonly auth: EventGridAuthOptions;
  readonly push: PushEventSource;
  /** The adapter's Prometheus registry (the pipeline's metrics are in it too). */
  readonly registry: Parameters<typeof labelledCounter>[0];
  readonly logger?: AzurePipelineDeps['logger'];
}): Route[] {
  const { registry } = options;
  return [
    eventGridHandler({
      auth: eventGridAuthenticator(options.auth),
      deliver: (events, signal) => options.push.deliver(events, signal),
      logger: options.logger,
      metrics: {
        events: labelledCounter(
          registry,
          EVENT_GRID_METRIC_NAMES.events,
          'Event Grid events received, by outcome (received, ignored, rejected) and reason.',
          ['outcome', 'reason'],
        ),
        requests: labelledCounter(
          registry,
          EVENT_GRID_METRIC_NAMES.requests,
          'Event Grid webhook answers, by status and reason.',
          ['status', 'reason'],
        ),
      },
    }),
  ];
}

/**
 * The event pipeline wired for Azure: Event Grid notices re-read by id
 * through ARM (the event names the resource only) and judged by the Azure
 * inventory, which also reads their deletions.
 */
export function azureEventDeps(options: {
  readonly runtime: Pick<AzureRuntime, 'clients' | 'deps'>;
  readonly deadLetter: DeadLetterSink;
  /** Told how each Defender write ends: what /readyz reports as `hub`. */
  readonly health?: DependencyHealth | undefined;
}): EventDeps {
  const { clients, deps } = options.runtime;
  return pushedEventDeps(deps, {
    inventory: withEventGridJudgements(azureInventory),
    deadLetter: options.deadLetter,
    health: options.health,
    enrich: eventGridEnricher({
      readResource: (id, signal) => readResourceForJudgement(clients, id, signal),
    }),
  });
}

/**
 * `drift-detective azure serve`: judges what the webhook is handed until the
 * signal aborts; then refuses new deliveries (Event Grid retries them) and
 * finishes those it accepted.
 */
export function azureServe(options: {
  readonly config: Pick<AzureAdapterConfig, 'concurrency' | 'maxAttempts'>;
  readonly runtime: Pick<AzureRuntime, 'clients' | 'deps'>;
  readonly push: PushEventSource;
  readonly deadLetter: DeadLetterSink;
  readonly health?: DependencyHealth | undefined;
  readonly signal?: AbortSignal | undefined;
}): Promise<EventSummary> {
  return runPushedEvents(options.push, azureEventDeps(options), {
    concurrency: options.config.concurrency,
    maxAttempts: options.config.maxAttempts,
    signal: options.signal,
  });
}
