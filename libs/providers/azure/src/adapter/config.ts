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

/**
 * How the Azure adapter runs, for `drift-detective azure sweep|serve` and the
 * Functions app: the settings every adapter takes, and Azure's own. Each
 * comes from a flag, else the environment, else a config file, else its
 * default. Credentials are never settings: DefaultAzureCredential owns them
 * (a managed identity in Functions, the CLI's login on a workstation).
 */
export interface AzureAdapterConfig extends AdapterSettings {
  /** Subscriptions to sweep, each its own sweep and scope. */
  readonly subscriptions: readonly string[];
  /** A management group whose subscriptions are swept (listed through Resource Graph). */
  readonly managementGroup: string | null;
  /** ARM types to sweep (any case); null: every supported type. */
  readonly resourceTypes: readonly string[] | null;
  /**
   * Azure Resource Manager: the public cloud's by default; a sovereign cloud
   * (https://management.usgovcloudapi.net, https://management.chinacloudapi.cn)
   * sets its own, and tokens are asked for that audience.
   */
  readonly resourceManagerEndpoint: string;
  /**
   * The audience tokens are asked for: the endpoint itself unless set (Azure
   * Stack Hub, or a proxy in front of Resource Manager, has its own).
   */
  readonly resourceManagerAudience: string | null;
  /** Milliseconds an Azure call may take to connect, per attempt. */
  readonly connectTimeoutMs: number;
  /** Milliseconds an Azure call may wait for its answer, per attempt. */
  readonly requestTimeoutMs: number;
  /** Where `serve` listens for Event Grid deliveries (and /healthz, /readyz, /metrics). */
  readonly port: number;
  /** The address it listens on: the loopback by default; a container sets 0.0.0.0. */
  readonly address: string;
  /**
   * Entra ID callers: the audience (application ID URI or client id) of the
   * app registration the Event Grid subscription delivers to.
   */
  readonly webhookAudience: string | null;
  /** The tenant whose tokens are accepted (their issuer). */
  readonly webhookTenant: string | null;
  /** Where the signing keys come from: a JWKS URL or file; default Microsoft's. */
  readonly webhookJwks: string;
  /** Where events that can never be judged are appended (JSON lines), with their reason. */
  readonly deadLetterFile: string;
}

export const DEFAULT_RESOURCE_MANAGER_ENDPOINT = 'https://management.azure.com';
export const DEFAULT_AZURE_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_AZURE_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_WEBHOOK_PORT = 8080;
/** Entra ID's signing keys, for v1 and v2 tokens alike. */
export const DEFAULT_WEBHOOK_JWKS = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';

/** Azure's own settings: its flag, environment variable and config-file key each. */
export const AZURE_SETTINGS = {
  subscriptions: {
    kind: 'list',
    flag: 'subscriptions',
    env: 'DRIFT_AZURE_SUBSCRIPTIONS',
    file: 'subscriptions',
  },
  managementGroup: {
    kind: 'string',
    flag: 'management-group',
    env: 'DRIFT_AZURE_MANAGEMENT_GROUP',
    file: 'managementGroup',
  },
  resourceTypes: {
    kind: 'list',
    flag: 'resource-types',
    env: 'DRIFT_AZURE_RESOURCE_TYPES',
    file: 'resourceTypes',
  },
  resourceManagerEndpoint: {
    kind: 'string',
    flag: 'resource-manager-endpoint',
    env: 'DRIFT_AZURE_RESOURCE_MANAGER_ENDPOINT',
    file: 'resourceManagerEndpoint',
  },
  resourceManagerAudience: {
    kind: 'string',
    flag: 'resource-manager-audience',
    env: 'DRIFT_AZURE_RESOURCE_MANAGER_AUDIENCE',
    file: 'resourceManagerAudience',
  },
  connectTimeoutMs: {
    kind: 'count',
    flag: 'connect-timeout-ms',
    env: 'DRIFT_AZURE_CONNECT_TIMEOUT_MS',
    file: 'connectTimeoutMs',
  },
  requestTimeoutMs: {
    kind: 'count',
    flag: 'request-timeout-ms',
    env: 'DRIFT_AZURE_REQUEST_TIMEOUT_MS',
    file: 'requestTimeoutMs',
  },
  port: { kind: 'port', flag: 'port', env: 'DRIFT_AZURE_PORT', file: 'port' },
  address: { kind: 'string', flag: 'address', env: 'DRIFT_AZURE_ADDRESS', file: 'address' },
  webhookAudience: {
    kind: 'string',
    flag: 'webhook-audience',
    env: 'DRIFT_AZURE_WEBHOOK_AUDIENCE',
    file: 'webhookAudience',
  },
  webhookTenant: {
    kind: 'string',
    flag: 'webhook-tenant',
    env: 'DRIFT_AZURE_WEBHOOK_TENANT',
    file: 'webhookTenant',
  },
  webhookJwks: {
    kind: 'string',
    flag: 'webhook-jwks',
    env: 'DRIFT_AZURE_WEBHOOK_JWKS',
    file: 'webhookJwks',
  },
  ...PUSH_SETTINGS,
} as const satisfies SettingsSpec;

/** Every setting of the Azure adapter: the common ones and Azure's own. */
export const AZURE_ADAPTER_SETTINGS = { ...ADAPTER_SETTINGS, ...AZURE_SETTINGS };

export type AzureFlagValues = FlagValuesOf<typeof AZURE_ADAPTER_SETTINGS>;

/** Where the settings come from: flags, the environment, a config file ($DRIFT_CONFIG by default). */
export type AzureConfigSources = SettingsSources<typeof AZURE_ADAPTER_SETTINGS>;

/** An ARM endpoint: https only, since a token goes with every call. */
function endpointOf(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_RESOURCE_MANAGER_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(`resource manager endpoint '${raw}' is not a URL`);
  }
  if (url.protocol !== 'https:') {
    throw new SettingsError(
      `resource manager endpoint ${raw} must be https: a bearer token goes with every call`,
    );
  }
  return url.origin;
}

export function resolveAzureConfig(sources: AzureConfigSources = {}): AzureAdapterConfig {
  const { common, cloud } = readAdapterSettings(AZURE_SETTINGS, sources);
  return {
    ...common,
    subscriptions: (cloud.subscriptions as string[] | undefined) ?? [],
    managementGroup: (cloud.managementGroup as string | undefined) ?? null,
    resourceTypes: (cloud.resourceTypes as string[] | undefined) ?? null,
    resourceManagerEndpoint: endpointOf(cloud.resourceManagerEndpoint as string | undefined),
    resourceManagerAudience: (cloud.resourceManagerAudience as string | undefined) ?? null,
    connectTimeoutMs:
      (cloud.connectTimeoutMs as number | undefined) ?? DEFAULT_AZURE_CONNECT_TIMEOUT_MS,
    requestTimeoutMs:
      (cloud.requestTimeoutMs as number | undefined) ?? DEFAULT_AZURE_REQUEST_TIMEOUT_MS,
    port: (cloud.port as number | undefined) ?? DEFAULT_WEBHOOK_PORT,
    address: (cloud.address as string | undefined) ?? common.metricsAddress,
    webhookAudience: (cloud.webhookAudience as string | undefined) ?? null,
    webhookTenant: (cloud.webhookTenant as string | undefined) ?? null,
    webhookJwks: (cloud.webhookJwks as string | undefined) ?? DEFAULT_WEBHOOK_JWKS,
    deadLetterFile: (cloud.deadLetterFile as string | undefined) ?? DEFAULT_DEAD_LETTER_FILE,
  };
}
