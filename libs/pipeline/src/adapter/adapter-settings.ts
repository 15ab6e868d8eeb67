import { isPostgresUrl, redactUrl } from '@drift-detective/findings';
import { DEFAULT_HEALTH_HOST } from '../health-server.js';
import { DEFAULT_UNREADY_AFTER_MS } from '../health/dependency-health.js';
import {
  readSettings,
  SettingsError,
  type SettingsSources,
  type SettingsSpec,
  type SettingValues,
} from './settings.js';

/**
 * What every live adapter has in common, whatever its cloud: where the state
 * lives, how findings leave (the hub, or JSON lines for a dry run), how many
 * events are judged at once and how often one is tried, the waivers and the
 * policy bundle, and the health/metrics server.
 */
export interface AdapterSettings {
  /**
   * The state: a SQLite file (one writer at a time), or a postgresql:// URL
   * (PostgreSQL shared by every worker and sweep).
   */
  readonly statePath: string;
  /** Findings as JSON lines on stdout instead of the cloud's hub. */
  readonly dryRun: boolean;
  /** Events judged at once. */
  readonly concurrency: number;
  /** Deliveries before a failing event is dead-lettered with its reason. */
  readonly maxAttempts: number;
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
   * Seconds the event source or the hub may fail without one success before
   * /readyz answers 503; ready again at the next success.
   */
  readonly unreadyAfterSeconds: number;
}

export const DEFAULT_STATE_PATH = 'drift-state.db';
export const DEFAULT_ADAPTER_CONCURRENCY = 16;
export const DEFAULT_ADAPTER_MAX_ATTEMPTS = 5;
export const DEFAULT_METRICS_ADDRESS = DEFAULT_HEALTH_HOST;
/** The pipeline's threshold: longer than one receive retry cycle (≤ 30 s). */
export const DEFAULT_UNREADY_AFTER_SECONDS = DEFAULT_UNREADY_AFTER_MS / 1000;

/** The settings every adapter takes, with the same flag, variable and file key everywhere. */
export const ADAPTER_SETTINGS = {
  statePath: { kind: 'string', flag: 'state', env: 'DRIFT_STATE_PATH', file: 'state', path: true },
  // The shared state of many workers (postgresql://…), usually from a secret:
  // its own variable, so a deployment's secret reference never needs a flag.
  stateUrl: { kind: 'string', flag: 'state-url', env: 'DRIFT_STATE_URL', file: 'stateUrl' },
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
  waivers: { kind: 'string', flag: 'waivers', env: 'DRIFT_WAIVERS', file: 'waivers', path: true },
  bundle: {
    kind: 'string',
    flag: 'bundle',
    env: 'DRIFT_POLICY_BUNDLE',
    file: 'bundle',
    path: true,
  },
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
} as const satisfies SettingsSpec;

/** Where a push endpoint appends events that can never be judged, unless told otherwise. */
export const DEFAULT_DEAD_LETTER_FILE = 'drift-dead-letter.ndjson';

/**
 * What every push endpoint (a webhook) takes beside the common settings: the
 * file events that can never be judged are appended to (JSON lines, each with
 * its reason). One variable for every cloud.
 */
export const PUSH_SETTINGS = {
  deadLetterFile: {
    kind: 'string',
    flag: 'dead-letter-file',
    env: 'DRIFT_DEAD_LETTER_FILE',
    file: 'deadLetterFile',
    path: true,
  },
} as const satisfies SettingsSpec;

/**
 * The state a run uses: --state when given, else DRIFT_STATE_URL (a shared
 * PostgreSQL, usually injected from a secret store), else DRIFT_STATE_PATH,
 * else the default file. The URL outranks the path because container images
 * set a path of their own (the GCP image's /tmp file): the secret a
 * deployment adds must not have to unset it.
 */
function stateLocation(v: SettingValues<typeof ADAPTER_SETTINGS>, stateFlagGiven: boolean): string {
  const file = v.statePath as string | undefined;
  const url = v.stateUrl as string | undefined;
  if (stateFlagGiven && file !== undefined) return file;
  if (url !== undefined && !isPostgresUrl(url)) {
    throw new SettingsError(
      `DRIFT_STATE_URL must be a postgresql:// URL, not '${redactUrl(url)}' (a SQLite file goes in DRIFT_STATE_PATH)`,
    );
  }
  return url ?? file ?? DEFAULT_STATE_PATH;
}

/**
 * Reads the common settings beside a cloud's own (one spec, so a config file
 * holds both and an unknown key in it is named): the common ones with their
 * defaults, and the cloud's values for it to default.
 */
export function readAdapterSettings<S extends SettingsSpec>(
  cloud: S,
  sources: SettingsSources<S & typeof ADAPTER_SETTINGS> = {},
): { readonly common: AdapterSettings; readonly cloud: SettingValues<S> } {
  const values = readSettings({ ...ADAPTER_SETTINGS, ...cloud }, sources);
  const v = values as SettingValues<typeof ADAPTER_SETTINGS>;
  return {
    common: {
      statePath: stateLocation(v, sources.flags?.statePath !== undefined),
      dryRun: (v.dryRun as boolean | undefined) ?? false,
      concurrency: (v.concurrency as number | undefined) ?? DEFAULT_ADAPTER_CONCURRENCY,
      maxAttempts: (v.maxAttempts as number | undefined) ?? DEFAULT_ADAPTER_MAX_ATTEMPTS,
      waivers: (v.waivers as string | undefined) ?? null,
      bundle: (v.bundle as string | undefined) ?? null,
      metricsPort: (v.metricsPort as number | undefined) ?? null,
      metricsAddress: (v.metricsAddress as string | undefined) ?? DEFAULT_METRICS_ADDRESS,
      unreadyAfterSeconds:
        (v.unreadyAfterSeconds as number | undefined) ?? DEFAULT_UNREADY_AFTER_SECONDS,
    },
    cloud: Object.fromEntries(
      Object.keys(cloud).map((key) => [key, (values as Record<string, unknown>)[key]]),
    ) as SettingValues<S>,
  };
}
