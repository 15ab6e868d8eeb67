import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_HEALTH_HOST, DEFAULT_UNREADY_AFTER_MS } from '@drift-detective/pipeline';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './timeouts.js';

/**
 * How the AWS adapter runs, for `drift-detective aws sweep|worker` and the
 * Lambda handlers. Each setting comes from a flag, else the environment, else
 * a config file (YAML or JSON), else its default. Credentials and endpoints are
 * never settings: the SDK's default chain and AWS_ENDPOINT_URL(_<SERVICE>) own them.
 */
export interface AwsAdapterConfig {
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
  /** Where poison messages go; null: the queue's RedrivePolicy target. */
  readonly deadLetterQueueUrl: string | null;
  /** The SQLite state file. */
  readonly statePath: string;
  /** Findings as JSON lines on stdout instead of Security Hub. */
  readonly dryRun: boolean;
  /** Messages judged at once by the worker. */
  readonly concurrency: number;
  /** Deliveries before a failing message is dead-lettered with its reason. */
  readonly maxAttempts: number;
  /** Milliseconds an AWS call may take to connect, per attempt. */
  readonly connectTimeoutMs: number;
  /** Milliseconds an AWS call may wait for its answer, per attempt (SQS: plus its long poll). */
  readonly requestTimeoutMs: number;
  readonly waivers: string | null;
  readonly bundle: string | null;
  /** Serve /healthz, /readyz and /metrics (Prometheus) on this port; null: none. */
  readonly metricsPort: number | null;
  /**
   * The address that server listens on: the loopback by default, since it
   * names queues and errors; a container sets 0.0.0.0 to be probed from outside.
   */
  readonly metricsAddress: string;
  /**
   * Seconds the queue (source) or Security Hub (hub) may fail without one
   * success before /readyz answers 503; ready again at the next success.
   */
  readonly unreadyAfterSeconds: number;
}

export const DEFAULT_STATE_PATH = 'drift-state.db';
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_METRICS_ADDRESS = DEFAULT_HEALTH_HOST;
/** The pipeline's threshold: longer than one receive retry cycle (≤ 30 s). */
export const DEFAULT_UNREADY_AFTER_SECONDS = DEFAULT_UNREADY_AFTER_MS / 1000;

/** The settings: every member but what is derived from them. */
type Key = Exclude<keyof AwsAdapterConfig, 'homeRegionSet'>;
type Kind = 'list' | 'string' | 'boolean' | 'count' | 'port';

/** Every setting: its kind, its flag, its environment variable and its config-file key. */
export const SETTINGS: Record<Key, { kind: Kind; flag: string; env: string; file: string }> = {
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
  deadLetterQueueUrl: {
    kind: 'string',
    flag: 'dead-letter-queue-url',
    env: 'DRIFT_AWS_DLQ_URL',
    file: 'deadLetterQueueUrl',
  },
  statePath: { kind: 'string', flag: 'state', env: 'DRIFT_STATE_PATH', file: 'state' },
  dryRun: { kind: 'boolean', flag: 'dry-run', env: 'DRIFT_DRY_RUN', file: 'dryRun' },
  concurrency: {
    kind: 'count',
    flag: 'concurrency',
    env: 'DRIFT_CONCURRENCY',
    file: 'concurrency',
  },
  maxAttempts: {
    kind: 'count',
    flag: 'max-attempts',
    env: 'DRIFT_MAX_ATTEMPTS',
    file: 'maxAttempts',
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
  waivers: { kind: 'string', flag: 'waivers', env: 'DRIFT_WAIVERS', file: 'waivers' },
  bundle: { kind: 'string', flag: 'bundle', env: 'DRIFT_POLICY_BUNDLE', file: 'bundle' },
  metricsPort: {
    kind: 'port',
    flag: 'metrics-port',
    env: 'DRIFT_METRICS_PORT',
    file: 'metricsPort',
  },
  metricsAddress: {
    kind: 'string',
    flag: 'metrics-address',
    env: 'DRIFT_METRICS_ADDRESS',
    file: 'metricsAddress',
  },
  unreadyAfterSeconds: {
    kind: 'count',
    flag: 'unready-after-seconds',
    env: 'DRIFT_UNREADY_AFTER_SECONDS',
    file: 'unreadyAfterSeconds',
  },
};

/** The environment variable naming the config file. */
export const CONFIG_FILE_ENV = 'DRIFT_CONFIG';

export class AwsConfigError extends Error {
  override readonly name = 'AwsConfigError';
}

/** Flag values as parsed from the command line: strings, string lists, booleans. */
export type FlagValues = Partial<Record<Key, string | readonly string[] | boolean | undefined>>;

export interface ConfigSources {
  readonly flags?: FlagValues | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** A config file; default: $DRIFT_CONFIG when set. */
  readonly file?: string | undefined;
}

export function resolveAwsConfig(sources: ConfigSources = {}): AwsAdapterConfig {
  const env = sources.env ?? process.env;
  const flags = sources.flags ?? {};
  const filePath = sources.file ?? nonBlank(env[CONFIG_FILE_ENV]);
  const file = filePath === undefined ? {} : readConfigFile(filePath);
  const known = new Set(Object.values(SETTINGS).map((s) => s.file));
  for (const key of Object.keys(file)) {
    if (!known.has(key)) {
      throw new AwsConfigError(
        `${filePath}: unknown setting '${key}' (known: ${[...known].join(', ')})`,
      );
    }
  }
  const value = (key: Key): unknown => {
    const setting = SETTINGS[key];
    const flag = flags[key];
    if (flag !== undefined) return read(setting.kind, flag, `--${setting.flag}`);
    const fromEnv = nonBlank(env[setting.env]);
    if (fromEnv !== undefined) return read(setting.kind, fromEnv, setting.env);
    const fromFile = file[setting.file];
    if (fromFile !== undefined && fromFile !== null) {
      return read(setting.kind, fromFile, `${filePath}: ${setting.file}`);
    }
    return undefined;
  };
  const regions = (value('regions') as string[] | undefined) ?? [];
  const homeRegion = value('homeRegion') as string | undefined;
  return {
    regions,
    homeRegion: homeRegion ?? regions[0] ?? null,
    homeRegionSet: homeRegion !== undefined,
    aggregator: (value('aggregator') as string | undefined) ?? null,
    memberRole: (value('memberRole') as string | undefined) ?? null,
    accounts: (value('accounts') as string[] | undefined) ?? null,
    resourceTypes: (value('resourceTypes') as string[] | undefined) ?? null,
    queueUrl: (value('queueUrl') as string | undefined) ?? null,
    deadLetterQueueUrl: (value('deadLetterQueueUrl') as string | undefined) ?? null,
    statePath: (value('statePath') as string | undefined) ?? DEFAULT_STATE_PATH,
    dryRun: (value('dryRun') as boolean | undefined) ?? false,
    concurrency: (value('concurrency') as number | undefined) ?? DEFAULT_CONCURRENCY,
    maxAttempts: (value('maxAttempts') as number | undefined) ?? DEFAULT_MAX_ATTEMPTS,
    connectTimeoutMs:
      (value('connectTimeoutMs') as number | undefined) ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeoutMs:
      (value('requestTimeoutMs') as number | undefined) ?? DEFAULT_REQUEST_TIMEOUT_MS,
    waivers: (value('waivers') as string | undefined) ?? null,
    bundle: (value('bundle') as string | undefined) ?? null,
    metricsPort: (value('metricsPort') as number | undefined) ?? null,
    metricsAddress: (value('metricsAddress') as string | undefined) ?? DEFAULT_METRICS_ADDRESS,
    unreadyAfterSeconds:
      (value('unreadyAfterSeconds') as number | undefined) ?? DEFAULT_UNREADY_AFTER_SECONDS,
  };
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AwsConfigError(
      `config file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let parsed: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    parsed = parseYaml(text);
  } catch (error) {
    throw new AwsConfigError(
      `config file ${file} is not YAML or JSON: ${(error as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsConfigError(`config file ${file} must hold a mapping of settings`);
  }
  const settings = parsed as Record<string, unknown>;
  // A relative state, waiver or bundle path in a file means relative to that file.
  for (const key of ['state', 'waivers', 'bundle']) {
    const entry = settings[key];
    if (typeof entry === 'string' && entry !== '' && !path.isAbsolute(entry)) {
      settings[key] = path.resolve(path.dirname(file), entry);
    }
  }
  return settings;
}

function read(kind: Kind, raw: unknown, origin: string): unknown {
  switch (kind) {
    case 'string':
      if (typeof raw !== 'string' || raw.trim() === '') {
        throw new AwsConfigError(`${origin} must be a non-empty string`);
      }
      return raw.trim();
    case 'list':
      return readList(raw, origin);
    case 'boolean':
      return readBoolean(raw, origin);
    case 'count':
      return readCount(raw, origin);
    case 'port': {
      const port = readCount(raw, origin);
      if (port > 65_535)
        throw new AwsConfigError(`${origin} must be a port (1–65535), not ${port}`);
      return port;
    }
  }
}

/** A list: repeated flags, comma-separated text, or a YAML sequence of strings. */
function readList(raw: unknown, origin: string): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((entry: unknown) => {
    if (typeof entry !== 'string') throw new AwsConfigError(`${origin} must list strings`);
    return entry.split(',');
  });
  const list = parts.map((p) => p.trim()).filter((p) => p !== '');
  if (list.length === 0) throw new AwsConfigError(`${origin} is empty`);
  return [...new Set(list)];
}

function readBoolean(raw: unknown, origin: string): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|1|yes)$/i.test(raw)) return true;
  if (typeof raw === 'string' && /^(false|0|no)$/i.test(raw)) return false;
  throw new AwsConfigError(`${origin} must be true or false, not '${String(raw)}'`);
}

function readCount(raw: unknown, origin: string): number {
  const number = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isInteger(number) || number < 1) {
    throw new AwsConfigError(
      `${origin} must be a whole number of at least 1, not '${String(raw)}'`,
    );
  }
  return number;
}
