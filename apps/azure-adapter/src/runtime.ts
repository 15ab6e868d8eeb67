import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPostgresUrl, loadWaivers, waiverRefLookup } from '@drift-detective/findings';
import {
  createLogger,
  createPrometheusMetrics,
  DeadLetterFile,
  pushEventSource,
  type EventSummary,
  type PipelineLogger,
  type Route,
} from '@drift-detective/pipeline';
import { loadEmbeddedEngine, PolicyEngine } from '@drift-detective/policy-engine';
import {
  azureServe,
  openAzureRuntime,
  resolveAzureConfig,
  webhookAuth,
  webhookRoutes,
  type AzureAdapterConfig,
  type AzureRuntime,
} from '@drift-detective/provider-azure';

/**
 * The policy manifest, compiled in by the bundle build (scripts/bundle.ts);
 * undefined when this module runs from source.
 */
declare const DRIFT_POLICY_MANIFEST: string | undefined;

/**
 * Where the state lives in Functions unless DRIFT_STATE_PATH says otherwise:
 * under $HOME/data, which on Linux plans is the app's persisted /home share,
 * kept across restarts and deployments
 * (https://learn.microsoft.com/azure/app-service/operating-system-functionality#file-access).
 */
export function functionsStatePath(env: NodeJS.ProcessEnv): string {
  return path.join(env['HOME'] ?? '/home', 'data', 'drift-detective', 'drift-state.db');
}

/** The webhook and its pipeline, as one Functions worker keeps them between invocations. */
export interface FunctionsRuntime {
  readonly config: AzureAdapterConfig;
  readonly azure: AzureRuntime;
  readonly logger: PipelineLogger;
  /**
   * The Event Grid route the HTTP trigger hands its requests to; throws the
   * settings error when no caller authentication is configured (a timer-only
   * app needs none).
   */
  webhook(): Route;
  /** The event pipeline, running until close(). */
  readonly events: Promise<EventSummary>;
  close(): Promise<void>;
}

/** The policy: DRIFT_POLICY_BUNDLE when set, else the wasm beside this module. */
async function loadEngine(config: AzureAdapterConfig): Promise<PolicyEngine> {
  if (config.bundle) return PolicyEngine.load(config.bundle);
  if (typeof DRIFT_POLICY_MANIFEST !== 'string') {
    throw new Error('no policy bundle: set DRIFT_POLICY_BUNDLE or run the bundled app');
  }
  return loadEmbeddedEngine(path.dirname(fileURLToPath(import.meta.url)), DRIFT_POLICY_MANIFEST);
}

/**
 * Builds what the app's functions share, once per worker process: the
 * settings from the app settings (environment), the policy, the state, the
 * clients on the managed identity, and — for the webhook — the event
 * pipeline reading what the HTTP trigger delivers.
 */
export async function createFunctionsRuntime(
  env: NodeJS.ProcessEnv = process.env,
): Promise<FunctionsRuntime> {
  const config = resolveAzureConfig({
    env,
    flags:
      env['DRIFT_STATE_PATH'] || env['DRIFT_STATE_URL']
        ? {}
        : { statePath: functionsStatePath(env) },
  });
  // Files (a SQLite state, the dead letters) live on the persisted share; a
  // postgresql:// state keeps only the dead letters there.
  const dataDir = isPostgresUrl(config.statePath)
    ? path.dirname(functionsStatePath(env))
    : path.dirname(config.statePath);
  mkdirSync(dataDir, { recursive: true });
  const logger = createLogger();
  const [engine, waivers] = await Promise.all([
    loadEngine(config),
    config.waivers ? loadWaivers(config.waivers) : Promise.resolve([]),
  ]);
  const metrics = createPrometheusMetrics();
  const azure = await openAzureRuntime({
    config,
    engine,
    logger,
    metrics,
    dryRunOut: process.stdout,
    waiverFor: waiverRefLookup(waivers),
  });
  const push = pushEventSource({ maxBuffered: config.concurrency * 2, logger });
  const stop = new AbortController();
  let webhook: Route | Error;
  try {
    [webhook] = webhookRoutes({
      auth: webhookAuth(config, env),
      push,
      registry: metrics.registry,
      logger,
    }) as [Route];
  } catch (error) {
    webhook = error as Error;
  }
  const events = azureServe({
    config,
    push,
    runtime: azure,
    // Beside the state, on the persisted share, unless given as an absolute path.
    deadLetter: new DeadLetterFile(path.resolve(dataDir, config.deadLetterFile)),
    signal: stop.signal,
  });
  return {
    config,
    azure,
    logger,
    webhook() {
      if (webhook instanceof Error) throw webhook;
      return webhook;
    },
    events,
    async close() {
      stop.abort();
      await events;
      await azure.close();
    },
  };
}
