import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { SecurityCenter } from '@azure/arm-security';
import { createClientPipeline } from '@azure/core-client';
import {
  createDefaultHttpClient,
  retryPolicy,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { PipelineLogger } from '@drift-detective/pipeline';
import type { JsonObject } from '../decode/json.js';
import { armRest } from './arm-rest.js';
import { attemptTimeoutPolicy } from './attempt-timeout-policy.js';
import { ConnectTimeoutAgent } from './connect-timeout-agent.js';
import { resourceGraphQuotaPolicy } from './quota-policy.js';
import {
  backoffBounds,
  DEFAULT_MAX_RETRIES,
  driftRetryStrategy,
  type RetrySettings,
} from './retry-strategy.js';
import { callTimeouts, type CallTimeouts } from './timeouts.js';

/** Azure public cloud's Resource Manager. Sovereign clouds have their own (management.usgovcloudapi.net…). */
export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

export interface AzureClientOptions {
  /** From the default chain in production: new DefaultAzureCredential(). */
  readonly credential: TokenCredential;
  /** The Resource Manager endpoint (https); the token scope follows it. */
  readonly endpoint?: string | undefined;
  /**
   * The token audience, when it is not the endpoint itself: a proxy or
   * stand-in in front of a cloud whose tokens it checks. Default: the endpoint.
   */
  readonly audience?: string | undefined;
  readonly timeouts?: Partial<CallTimeouts> | undefined;
  readonly retry?: RetrySettings | undefined;
  /** Told about retries and quota waits. */
  readonly logger?: Pick<PipelineLogger, 'warn'> | undefined;
  /** The transport (default: core-rest-pipeline's Node client). */
  readonly httpClient?: HttpClient | undefined;
}

/** Every Azure client this library uses, on one authenticated pipeline. */
export interface AzureClients {
  readonly endpoint: string;
  /** The shared pipeline: token, retries, quota waits and timeouts for every call. */
  readonly pipeline: Pipeline;
  readonly resourceGraph: ResourceGraphClient;
  /** Defender for Cloud's client for one subscription (created once, kept). */
  security(subscriptionId: string): SecurityCenter;
  /** GET one ARM resource; throws AzureCallError (statusCode 404 when it is gone). */
  armGet(path: string, apiVersion: string, signal?: AbortSignal): Promise<JsonObject>;
  /** GET an ARM collection, following nextLink; the items of every page. */
  armList(path: string, apiVersion: string, signal?: AbortSignal): Promise<JsonObject[]>;
}

/** The endpoint without a trailing slash; https only, since a bearer token goes with every call. */
export function armEndpoint(endpoint: string = DEFAULT_ARM_ENDPOINT): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`not an ARM endpoint URL: ${endpoint}`);
  }
  if (url.protocol !== 'https:') throw new TypeError(`the ARM endpoint must be https: ${endpoint}`);
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError(`the ARM endpoint takes no query or fragment: ${endpoint}`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** `${audience}/.default`: the scope of a token for the Resource Manager audience, for any identity. */
function tokenScope(options: AzureClientOptions, endpoint: string): string {
  const audience = options.audience === undefined ? endpoint : armEndpoint(options.audience);
  return `${audience}/.default`;
}

/**
 * One pipeline for every client: the bearer token for `${audience}/.default`
 * (the audience is the endpoint unless set: each cloud's Resource Manager —
 * management.azure.com, management.usgovcloudapi.net,
 * management.chinacloudapi.cn, as the SDKs' own cloud table lists them,
 * https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/resourcegraph/arm-resourcegraph/src/static-helpers/cloudSettingHelpers.ts —
 * accepts tokens for itself; core-client derives its default scope the same
 * way, `${endpoint}/.default`), then, per attempt, the retry policy with the shared backoff, Resource
 * Graph's quota wait and the attempt timeouts. core-client's
 * createClientPipeline adds the (de)serialization policies the
 * SecurityCenter client needs; the default retry policy is replaced, since
 * it neither uses the shared backoff nor retries a 429 without Retry-After.
 */
function sharedPipeline(
  options: AzureClientOptions,
  endpoint: string,
  timeouts: CallTimeouts,
): Pipeline {
  const retry = options.retry ?? {};
  const bounds = backoffBounds(retry);
  const logger = options.logger;
  const pipeline = createClientPipeline({
    credentialOptions: {
      credential: options.credential,
      credentialScopes: [tokenScope(options, endpoint)],
    },
    userAgentOptions: { userAgentPrefix: 'drift-detective' },
  });
  pipeline.removePolicy({ phase: 'Retry' });
  const strategy = driftRetryStrategy({
    ...retry,
    onRetry:
      retry.onRetry ??
      (logger ? (info) => logger.warn({ ...info }, 'Azure call failed; retrying') : undefined),
  });
  pipeline.addPolicy(
    retryPolicy([strategy], { maxRetries: retry.maxRetries ?? DEFAULT_MAX_RETRIES }),
    {
      phase: 'Retry',
    },
  );
  pipeline.addPolicy(
    resourceGraphQuotaPolicy({
      capMs: bounds.capMs,
      onWait: logger
        ? (ms) =>
            logger.warn({ waitMs: ms }, 'Resource Graph quota used up: waiting for it to reset')
        : undefined,
    }),
    { afterPhase: 'Retry' },
  );
  pipeline.addPolicy(
    attemptTimeoutPolicy(timeouts, new ConnectTimeoutAgent(timeouts.connectTimeoutMs)),
    {
      afterPhase: 'Sign',
    },
  );
  return pipeline;
}

/**
 * The clients of one Azure cloud: Resource Graph, Defender for Cloud (one
 * SecurityCenter per subscription: arm-security 5 reads the subscription
 * from its client object when it builds each URL — the `subscriptionId`
 * URL parameter has no operation argument, so core-client takes it from
 * the client; one client per subscription, all on the same pipeline, keeps
 * concurrent calls for different subscriptions apart) and plain ARM GETs,
 * all through one pipeline.
 */
export function createAzureClients(options: AzureClientOptions): AzureClients {
  const endpoint = armEndpoint(options.endpoint);
  const timeouts = callTimeouts(options.timeouts);
  const pipeline = sharedPipeline(options, endpoint, timeouts);
  const httpClient = options.httpClient ?? createDefaultHttpClient();
  const resourceGraph = new ResourceGraphClient(options.credential, {
    endpoint,
    pipeline,
    httpClient,
  });
  const securityClients = new Map<string, SecurityCenter>();
  const rest = armRest(pipeline, httpClient, endpoint);
  return {
    endpoint,
    pipeline,
    resourceGraph,
    security(subscriptionId) {
      const key = subscriptionId.toLowerCase();
      let client = securityClients.get(key);
      if (!client) {
        client = new SecurityCenter(options.credential, subscriptionId, {
          endpoint,
          $host: endpoint,
          pipeline,
          httpClient,
        });
        securityClients.set(key, client);
      }
      return client;
    },
    armGet: (path, apiVersion, signal) => rest.get(path, apiVersion, signal),
    armList: (path, apiVersion, signal) => rest.list(path, apiVersion, signal),
  };
}
