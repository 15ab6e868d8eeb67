import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPostgresUrl, loadWaivers, waiverRefLookup } from '@drift-detective/findings';
import { createLogger, SettingsError, type PipelineLogger } from '@drift-detective/pipeline';
import { loadEmbeddedEngine, PolicyEngine } from '@drift-detective/policy-engine';
import {
  openAwsRuntime,
  resolveAwsConfig,
  STATE_URL_SECRET_ENV,
  stateUrlFromSecret,
  type AwsAdapterConfig,
  type AwsRuntime,
} from '@drift-detective/provider-aws';

/**
 * The policy manifest, compiled in by the bundle build (scripts/bundle.ts);
 * undefined when this module runs from source.
 */
declare const DRIFT_POLICY_MANIFEST: string | undefined;

/** Lambda's only writable folder (https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html). */
export const LAMBDA_STATE_PATH = '/tmp/drift-state.db';

/** What one Lambda execution environment keeps between invocations. */
export interface AdapterRuntime extends AwsRuntime {
  readonly logger: PipelineLogger;
}

/**
 * The policy: DRIFT_POLICY_BUNDLE (a folder) when set, else the wasm beside
 * this module checked against the manifest compiled into it.
 */
async function loadEngine(config: AwsAdapterConfig): Promise<PolicyEngine> {
  if (config.bundle) return PolicyEngine.load(config.bundle);
  if (typeof DRIFT_POLICY_MANIFEST !== 'string') {
    throw new Error('no policy bundle: set DRIFT_POLICY_BUNDLE or run the bundled handler');
  }
  return loadEmbeddedEngine(path.dirname(fileURLToPath(import.meta.url)), DRIFT_POLICY_MANIFEST);
}

/**
 * The environment the settings are read from: with DRIFT_STATE_URL_SECRET_ARN
 * (deploy/aws/template.yaml, StateUrlSecretArn), a copy with DRIFT_STATE_URL
 * set to the URL the secret holds, read once per execution environment (at its
 * cold start: the runtime is kept between invocations). The URL stays in this
 * copy: never in process.env, never logged (the state store logs it without
 * its password). The ARN beside DRIFT_STATE_URL or DRIFT_STATE_PATH is two
 * states named at once: refused, as those two together are.
 */
async function stateEnvironment(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const arn = env[STATE_URL_SECRET_ENV]?.trim();
  if (!arn) return env;
  const other = ['DRIFT_STATE_URL', 'DRIFT_STATE_PATH'].find((name) => env[name]?.trim());
  if (other !== undefined) {
    throw new SettingsError(`${STATE_URL_SECRET_ENV} and ${other} both name a state: set one`);
  }
  return { ...env, DRIFT_STATE_URL: await stateUrlFromSecret(arn) };
}

export async function createRuntime(env: NodeJS.ProcessEnv = process.env): Promise<AdapterRuntime> {
  const settingsEnv = await stateEnvironment(env);
  const config = resolveAwsConfig({
    env: settingsEnv,
    flags:
      settingsEnv['DRIFT_STATE_PATH'] || settingsEnv['DRIFT_STATE_URL']
        ? {}
        : { statePath: LAMBDA_STATE_PATH },
  });
  const logger = createLogger();
  if (!isPostgresUrl(config.statePath) && config.statePath.startsWith('/tmp/')) {
    logger.warn(
      { statePath: config.statePath },
      'state lives in this execution environment only: a cold start, or another environment, forgets open findings (deploy with StateUrlSecretArn: a PostgreSQL state every environment shares, see docs/aws.md)',
    );
  }
  const [engine, waivers] = await Promise.all([
    loadEngine(config),
    config.waivers ? loadWaivers(config.waivers) : Promise.resolve([]),
  ]);
  const runtime = await openAwsRuntime({
    config,
    engine,
    logger,
    dryRunOut: process.stdout,
    waiverFor: waiverRefLookup(waivers),
  });
  return { ...runtime, logger };
}
