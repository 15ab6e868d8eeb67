import {
  ADAPTER_SETTINGS,
  DEFAULT_DEAD_LETTER_FILE,
  PUSH_SETTINGS,
  readAdapterSettings,
  SettingsError,
  type AdapterSettings,
  type FlagValuesOf,
  type SettingsSpec,
  type SettingsSources,
} from '@drift-detective/pipeline';
import { isLoopbackHost, parseEndpoint } from '../grpc/endpoint.js';
import { GOOGLE_JWKS_URL } from '../pubsub/auth.js';
import { DEFAULT_SOURCE_DISPLAY_NAME } from '../scc/index.js';

/**
 * How the GCP adapter runs, for `drift-detective gcp sweep|serve` and the
 * Cloud Run service: the settings every adapter takes, and Google Cloud's
 * own. Each comes from a flag, else the environment, else a config file,
 * else its default. Credentials are never settings: Application Default
 * Credentials own them (the service's identity on Cloud Run, gcloud's login
 * on a workstation).
 */
export interface GcpAdapterConfig extends AdapterSettings {
  /** The organization number: SCC's source lives under it; swept when no project or folder is named. */
  readonly organization: string | null;
  /** Projects to sweep (ids or numbers), each its own sweep and scope. */
  readonly projects: readonly string[];
  /** Folders to sweep (numbers), each its own sweep and scope. */
  readonly folders: readonly string[];
  /** Cloud Asset types to sweep; null: every supported type. */
  readonly assetTypes: readonly string[] | null;
  /**
   * `sweep` prints one sweep request per parent (JSON, one a line), for a
   * scheduler to publish to the topic `serve` is pushed from, and sweeps nothing.
   */
  readonly printRequests: boolean;
  /** host:port of Cloud Asset and SCC; null: Google's own endpoints. */
  readonly endpoint: string | null;
  /** Plaintext gRPC without tokens: only to a loopback endpoint (a local stand-in or proxy). */
  readonly plaintext: boolean;
  /** Milliseconds a Google call may take, per attempt. */
  readonly requestTimeoutMs: number;
  /** The SCC source's display name: one source per installation, found by it or created. */
  readonly sourceDisplayName: string;
  /** Where `serve` listens (Cloud Run's PORT), with /healthz, /readyz and /metrics. */
  readonly port: number;
  /** The address it listens on: the loopback by default; the container image sets 0.0.0.0. */
  readonly address: string;
  /** The push subscription's OIDC audience (by default Pub/Sub uses the push endpoint's URL). */
  readonly pushAudience: string | null;
  /** The service account the push subscription signs its tokens as (the `email` claim). */
  readonly pushServiceAccount: string | null;
  /** Where the signing keys come from: a JWKS URL or file; default Google's. */
  readonly pushJwks: string;
  /** Where events that can never be judged are appended (JSON lines), with their reason. */
  readonly deadLetterFile: string;
}

export const DEFAULT_GCP_REQUEST_TIMEOUT_MS = 30_000;
/** Cloud Run's default PORT (https://cloud.google.com/run/docs/container-contract#port). */
export const DEFAULT_GCP_PORT = 8080;

/** Google Cloud's own settings: its flag, environment variable and config-file key each. */
export const GCP_SETTINGS = {
  organization: {
    kind: 'string',
    flag: 'organization',
    env: 'DRIFT_GCP_ORGANIZATION',
    file: 'organization',
  },
  projects: { kind: 'list', flag: 'projects', env: 'DRIFT_GCP_PROJECTS', file: 'projects' },
  folders: { kind: 'list', flag: 'folders', env: 'DRIFT_GCP_FOLDERS', file: 'folders' },
  assetTypes: {
    kind: 'list',
    flag: 'asset-types',
    env: 'DRIFT_GCP_ASSET_TYPES',
    file: 'assetTypes',
  },
  printRequests: {
    kind: 'boolean',
    flag: 'print-requests',
    env: 'DRIFT_GCP_SWEEP_PRINT_REQUESTS',
    file: 'printRequests',
  },
  endpoint: { kind: 'string', flag: 'endpoint', env: 'DRIFT_GCP_ENDPOINT', file: 'endpoint' },
  plaintext: {
    kind: 'boolean',
    flag: 'plaintext',
    env: 'DRIFT_GCP_PLAINTEXT',
    file: 'plaintext',
  },
  requestTimeoutMs: {
    kind: 'count',
    flag: 'request-timeout-ms',
    env: 'DRIFT_GCP_REQUEST_TIMEOUT_MS',
    file: 'requestTimeoutMs',
  },
  sourceDisplayName: {
    kind: 'string',
    flag: 'scc-source',
    env: 'DRIFT_GCP_SCC_SOURCE',
    file: 'sccSource',
  },
  // Cloud Run tells the container its port in PORT
  // (https://cloud.google.com/run/docs/container-contract#port).
  port: { kind: 'port', flag: 'port', env: 'PORT', file: 'port' },
  address: { kind: 'string', flag: 'address', env: 'DRIFT_GCP_ADDRESS', file: 'address' },
  pushAudience: {
    kind: 'string',
    flag: 'push-audience',
    env: 'DRIFT_GCP_PUSH_AUDIENCE',
    file: 'pushAudience',
  },
  pushServiceAccount: {
    kind: 'string',
    flag: 'push-service-account',
    env: 'DRIFT_GCP_PUSH_SERVICE_ACCOUNT',
    file: 'pushServiceAccount',
  },
  pushJwks: { kind: 'string', flag: 'push-jwks', env: 'DRIFT_GCP_PUSH_JWKS', file: 'pushJwks' },
  ...PUSH_SETTINGS,
} as const satisfies SettingsSpec;

/** Every setting of the GCP adapter: the common ones and Google Cloud's own. */
export const GCP_ADAPTER_SETTINGS = { ...ADAPTER_SETTINGS, ...GCP_SETTINGS };

export type GcpFlagValues = FlagValuesOf<typeof GCP_ADAPTER_SETTINGS>;

/** Where the settings come from: flags, the environment, a config file ($DRIFT_CONFIG by default). */
export type GcpConfigSources = SettingsSources<typeof GCP_ADAPTER_SETTINGS>;

const ORGANIZATION = /^[1-9]\d{0,19}$/;

/** The endpoint: host:port, and plaintext only when it is the loopback. */
function endpointOf(raw: string | undefined, plaintext: boolean): string | null {
  if (raw === undefined) {
    if (plaintext) {
      throw new SettingsError('--plaintext needs a loopback --endpoint (DRIFT_GCP_ENDPOINT)');
    }
    return null;
  }
  let host: string;
  try {
    host = parseEndpoint(raw).host;
  } catch (error) {
    throw new SettingsError(`--endpoint: ${(error as Error).message}`);
  }
  if (plaintext && !isLoopbackHost(host)) {
    throw new SettingsError(
      `--plaintext is refused for ${raw}: only a loopback endpoint may go without TLS`,
    );
  }
  return raw;
}

export function resolveGcpConfig(sources: GcpConfigSources = {}): GcpAdapterConfig {
  const { common, cloud } = readAdapterSettings(GCP_SETTINGS, sources);
  const organization = (cloud.organization as string | undefined) ?? null;
  if (organization !== null && !ORGANIZATION.test(organization)) {
    throw new SettingsError(`organization '${organization}' is not an organization number`);
  }
  const plaintext = (cloud.plaintext as boolean | undefined) ?? false;
  return {
    ...common,
    organization,
    projects: (cloud.projects as string[] | undefined) ?? [],
    folders: (cloud.folders as string[] | undefined) ?? [],
    assetTypes: (cloud.assetTypes as string[] | undefined) ?? null,
    printRequests: (cloud.printRequests as boolean | undefined) ?? false,
    endpoint: endpointOf(cloud.endpoint as string | undefined, plaintext),
    plaintext,
    requestTimeoutMs:
      (cloud.requestTimeoutMs as number | undefined) ?? DEFAULT_GCP_REQUEST_TIMEOUT_MS,
    sourceDisplayName:
      (cloud.sourceDisplayName as string | undefined) ?? DEFAULT_SOURCE_DISPLAY_NAME,
    port: (cloud.port as number | undefined) ?? DEFAULT_GCP_PORT,
    address: (cloud.address as string | undefined) ?? common.metricsAddress,
    pushAudience: (cloud.pushAudience as string | undefined) ?? null,
    pushServiceAccount: (cloud.pushServiceAccount as string | undefined) ?? null,
    pushJwks: (cloud.pushJwks as string | undefined) ?? GOOGLE_JWKS_URL,
    deadLetterFile: (cloud.deadLetterFile as string | undefined) ?? DEFAULT_DEAD_LETTER_FILE,
  };
}
