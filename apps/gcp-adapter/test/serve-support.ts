// `drift-detective-gcp serve` as Cloud Run runs it: the built process listening
// on PORT, started and stopped by signals, and the Cloud Asset feed messages
// Pub/Sub pushes to it (TemporalAssets in camelCase proto JSON, as the feed
// publishes them: https://cloud.google.com/asset-inventory/docs/monitor-asset-changes).
import { DEFAULT_PUBSUB_PUSH_PATH } from '@drift-detective/provider-gcp';
import {
  freePort,
  waitFor,
  type GcpCallInfo,
  type GcpFault,
  type GcpStandIn,
  type RunningProcess,
} from '@drift-detective/testing';
import {
  adapterEnv,
  pushEnv,
  recordsOf,
  sampleRecords,
  startAdapter,
  type PushSigner,
} from './support.js';

export interface Service {
  readonly process: RunningProcess;
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** The push endpoint, as the subscription's push URL names it. */
  readonly pushUrl: string;
}

/**
 * Starts `drift-detective-gcp serve` on a free PORT (Cloud Run's variable, no flag) and
 * waits until /readyz answers 200.
 */
export async function startServe(
  standIn: Pick<GcpStandIn, 'env'>,
  statePath: string,
  signer: PushSigner,
  extra: Record<string, string | undefined> = {},
): Promise<Service> {
  const port = await freePort();
  const running = startAdapter(
    ['serve'],
    adapterEnv(standIn, statePath, { ...pushEnv(signer), PORT: String(port), ...extra }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor('serve to be ready', async () => {
    if (running.child.exitCode !== null) {
      throw new Error(`serve exited ${running.child.exitCode}: ${running.stderr()}`);
    }
    const answer = await fetch(`${base}/readyz`).catch(() => undefined);
    return answer?.status === 200 ? true : undefined;
  });
  return { process: running, base, pushUrl: `${base}${DEFAULT_PUBSUB_PUSH_PATH}` };
}

/** Sends `signal` (unless it has ended already) and waits for the exit. */
export async function stopServe(
  service: Service,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
  const { child } = service.process;
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  return service.process.exited;
}

/** A counter's value in a Prometheus scrape (0 when the series is absent). */
export function counterValue(scrape: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  for (const line of scrape.split('\n')) {
    if (line.startsWith(`${name}{${wanted}} `)) return Number(line.slice(line.lastIndexOf(' ')));
  }
  return 0;
}

export async function scrape(base: string): Promise<string> {
  return (await fetch(`${base}/metrics`)).text();
}

// ---------------------------------------------------------------------------
// Feed messages

export type Json = Record<string, unknown>;

interface Binding {
  readonly role: string;
  readonly members: readonly string[];
}

export interface IamPolicy {
  readonly version?: number;
  readonly etag?: string;
  readonly bindings: readonly Binding[];
}

const SAMPLE_ANCESTORS = (name: string): string[] => {
  const [record] = recordsOf(sampleRecords(), name);
  if (record === undefined) throw new Error(`${name} is not in the sample`);
  return record['ancestors'] as string[];
};

/** The IAM_POLICY of a sample asset, as the export holds it (version, etag, bindings). */
export function sampleIamPolicy(name: string): IamPolicy {
  const record = recordsOf(sampleRecords(), name).find((r) => r['iam_policy'] !== undefined);
  if (record === undefined) throw new Error(`${name} has no IAM policy in the sample`);
  return record['iam_policy'] as IamPolicy;
}

/** A bucket's policy before anyone granted more than its project's convenience members. */
export const LEGACY_BUCKET_POLICY: IamPolicy = {
  version: 1,
  etag: 'CAU=',
  bindings: [
    {
      role: 'roles/storage.legacyBucketOwner',
      members: ['projectEditor:dd-fixtures-prod', 'projectOwner:dd-fixtures-prod'],
    },
    { role: 'roles/storage.legacyBucketReader', members: ['projectViewer:dd-fixtures-prod'] },
  ],
};

export const PUBLIC_GRANT: Binding = { role: 'roles/storage.objectViewer', members: ['allUsers'] };

/**
 * The IAM_POLICY feed's message for a bucket whose policy went from `prior` to `prior`
 * plus an allUsers objectViewer grant at `time` (shaped like
 * libs/providers/gcp/test/fixtures/feed/feed-iam-policy-bucket-allusers.json).
 */
export function madePublicMessage(name: string, prior: IamPolicy, time: string): Json {
  const ancestors = SAMPLE_ANCESTORS(name);
  return {
    asset: {
      name,
      assetType: 'storage.googleapis.com/Bucket',
      iamPolicy: { ...prior, etag: 'CAY=', bindings: [...prior.bindings, PUBLIC_GRANT] },
      ancestors,
      updateTime: time,
    },
    priorAssetState: 'PRESENT',
    priorAsset: {
      name,
      assetType: 'storage.googleapis.com/Bucket',
      iamPolicy: prior,
      ancestors,
      updateTime: '2025-11-04T08:02:17.118Z',
    },
    window: { startTime: time },
  };
}

/** The RESOURCE feed's message for a bucket deleted at `time`. */
export function deletedMessage(name: string, time: string): Json {
  return {
    asset: {
      name,
      assetType: 'storage.googleapis.com/Bucket',
      ancestors: SAMPLE_ANCESTORS(name),
      updateTime: time,
    },
    priorAssetState: 'PRESENT',
    deleted: true,
    window: { startTime: time },
  };
}

/** `minutes` ago, RFC 3339 (batchGetAssetsHistory reads the last 35 days only). */
export const minutesAgo = (minutes: number): string =>
  new Date(Date.now() - minutes * 60_000).toISOString();

// ---------------------------------------------------------------------------
// Faults

/**
 * A plan giving `fault` to the first call `matches` accepts; `hit` resolves as that call
 * arrives (before it is answered).
 */
export function faultOnce(
  matches: (call: GcpCallInfo) => boolean,
  fault: GcpFault,
): { plan: (call: GcpCallInfo) => GcpFault | null; hit: Promise<void> } {
  let resolveHit!: () => void;
  const hit = new Promise<void>((resolve) => (resolveHit = resolve));
  let used = false;
  return {
    hit,
    plan: (call) => {
      if (used || !matches(call)) return null;
      used = true;
      resolveHit();
      return fault;
    },
  };
}

export const isSccWrite =
  (method: string) =>
  (call: GcpCallInfo): boolean =>
    call.service.endsWith('.SecurityCenter') && call.method === method;
