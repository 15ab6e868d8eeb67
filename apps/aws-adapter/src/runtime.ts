import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWaivers, waiverRefLookup } from '@drift-detective/findings';
import { createLogger, type PipelineLogger } from '@drift-detective/pipeline';
import { loadEmbeddedEngine, PolicyEngine } from '@drift-detective/policy-engine';
import {
  openAwsRuntime,
  resolveAwsConfig,
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

export async function createRuntime(env: NodeJS.ProcessEnv = process.env): Promise<AdapterRuntime> {
  const config = resolveAwsConfig({
    env,
    flags:
      env['DRIFT_STATE_PATH'] || env['DRIFT_STATE_URL'] ? {} : { statePath: LAMBDA_STATE_PATH },
  });
  const logger = createLogger();
  if (config.statePath.startsWith('/tmp/')) {
    logger.warn(
      { statePath: config.statePath },
      'state lives in this execution environment only: a cold start, or another environment, forgets open findings (set DRIFT_STATE_URL to a PostgreSQL database shared by every environment)',
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
