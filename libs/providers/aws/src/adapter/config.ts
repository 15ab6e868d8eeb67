import {
  ADAPTER_SETTINGS,
  CONFIG_FILE_ENV,
  readAdapterSettings,
  SettingsError,
  type AdapterSettings,
  type FlagValuesOf,
  type SettingsSpec,
  type SettingsSources,
} from '@drift-detective/pipeline';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './timeouts.js';

/**
 * How the AWS adapter runs, for `drift-detective aws sweep|worker` and the
 * Lambda handlers: the settings every adapter takes, and AWS's own. Each
 * comes from a flag, else the environment, else a config file (YAML or JSON),
 * else its default. Credentials and endpoints are never settings: the SDK's
 * default chain and AWS_ENDPOINT_URL(_<SERVICE>) own them.
 */
export interface AwsAdapterConfig extends AdapterSettings {
  /** Regions to sweep; empty: the SDK's own region (AWS_REGION, the profile). */
  readonly regions: readonly string[];
  /**
   * Where findings of global resources (IAM) go in Security Hub, and the one
   * region whose sweep answers for them; default: the first region.
   */
  readonly homeRegion: string | null;
  /**
   * Whether homeRegion was set (flag, environment, file) rather than
   * defaulted. Processes with different regions default differently and
   * would publish the same IAM finding to two hubs: callers warn when false.
   */
  readonly homeRegionSet: boolean;
  /**
   * Accounts to sweep, each through the member role assumed there (the own
   * account with its own credentials); null: the own account only.
   */
  readonly accounts: readonly string[] | null;
  /** A Config aggregator for an organization-wide sweep, read in the first region. */
  readonly aggregator: string | null;
  /**
   * A role name assumed in each other account to import its findings (an
   * aggregator sweep): Security Hub takes a finding only from its own account.
   */
  readonly memberRole: string | null;
  /** AWS Config resource types to sweep; null: every supported type. */
  readonly resourceTypes: readonly string[] | null;
  readonly queueUrl: string | null;
  /**
   * A sweep sends one request per shard to the queue, for the workers to
   * take, instead of sweeping in this process.
   */
  readonly enqueue: boolean;
  /** Where poison messages go; null: the queue's RedrivePolicy target. */
  readonly deadLetterQueueUrl: string | null;
  /** Milliseconds an AWS call may take to connect, per attempt. */
  readonly connectTimeoutMs: number;
  /** Milliseconds an AWS call may wait for its answer, per attempt (SQS: plus its long poll). */
  readonly requestTimeoutMs: number;
}

/** AWS's own settings: its flag, environment variable and config-file key each. */
export const AWS_SETTINGS = {
  regions: { kind: 'list', flag: 'regions', env: 'DRIFT_AWS_REGIONS', file: 'regions' },
  homeRegion: {
    kind: 'string',
    flag: 'home-region',
    env: 'DRIFT_AWS_HOME_REGION',
    file: 'homeRegion',
  },
  aggregator: {
    kind: 'string',
    flag: 'aggregator',
    env: 'DRIFT_AWS_AGGREGATOR',
    file: 'aggregator',
  },
  accounts: { kind: 'list', flag: 'accounts', env: 'DRIFT_AWS_ACCOUNTS', file: 'accounts' },
  memberRole: {
    kind: 'string',
    flag: 'member-role',
    env: 'DRIFT_AWS_MEMBER_ROLE',
    file: 'memberRole',
  },
  resourceTypes: {
    kind: 'list',
    flag: 'resource-types',
    env: 'DRIFT_AWS_RESOURCE_TYPES',
    file: 'resourceTypes',
  },
  queueUrl: { kind: 'string', flag: 'queue-url', env: 'DRIFT_AWS_QUEUE_URL', file: 'queueUrl' },
  enqueue: { kind: 'boolean', flag: 'enqueue', env: 'DRIFT_AWS_SWEEP_ENQUEUE', file: 'enqueue' },
  deadLetterQueueUrl: {
    kind: 'string',
    flag: 'dead-letter-queue-url',
    env: 'DRIFT_AWS_DLQ_URL',
    file: 'deadLetterQueueUrl',
  },
  connectTimeoutMs: {
    kind: 'count',
    flag: 'connect-timeout-ms',
    env: 'DRIFT_AWS_CONNECT_TIMEOUT_MS',
    file: 'connectTimeoutMs',
  },
  requestTimeoutMs: {
    kind: 'count',
    flag: 'request-timeout-ms',
    env: 'DRIFT_AWS_REQUEST_TIMEOUT_MS',
    file: 'requestTimeoutMs',
  },
} as const satisfies SettingsSpec;

/** Every setting of the AWS adapter: the common ones and AWS's own. */
export const SETTINGS = { ...ADAPTER_SETTINGS, ...AWS_SETTINGS };

export { CONFIG_FILE_ENV };

/** A setting that cannot be used (the shared SettingsError, by the name AWS code knows). */
export const AwsConfigError = SettingsError;
export type AwsConfigError = SettingsError;

/** Flag values as parsed from the command line: strings, string lists, booleans. */
export type FlagValues = FlagValuesOf<typeof SETTINGS>;

/** Where the settings come from: flags, the environment, a config file ($DRIFT_CONFIG by default). */
export type ConfigSources = SettingsSources<typeof SETTINGS>;

export function resolveAwsConfig(sources: ConfigSources = {}): AwsAdapterConfig {
  const { common, cloud } = readAdapterSettings(AWS_SETTINGS, sources);
  const regions = (cloud.regions as string[] | undefined) ?? [];
  const homeRegion = cloud.homeRegion as string | undefined;
  return {
    ...common,
    regions,
    homeRegion: homeRegion ?? regions[0] ?? null,
    homeRegionSet: homeRegion !== undefined,
    aggregator: (cloud.aggregator as string | undefined) ?? null,
    memberRole: (cloud.memberRole as string | undefined) ?? null,
    accounts: (cloud.accounts as string[] | undefined) ?? null,
    resourceTypes: (cloud.resourceTypes as string[] | undefined) ?? null,
    queueUrl: (cloud.queueUrl as string | undefined) ?? null,
    enqueue: (cloud.enqueue as boolean | undefined) ?? false,
    deadLetterQueueUrl: (cloud.deadLetterQueueUrl as string | undefined) ?? null,
    connectTimeoutMs: (cloud.connectTimeoutMs as number | undefined) ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: (cloud.requestTimeoutMs as number | undefined) ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

/** The common defaults, by the names AWS code has used. */
export {
  DEFAULT_ADAPTER_CONCURRENCY as DEFAULT_CONCURRENCY,
  DEFAULT_ADAPTER_MAX_ATTEMPTS as DEFAULT_MAX_ATTEMPTS,
  DEFAULT_STATE_PATH,
} from '@drift-detective/pipeline';
