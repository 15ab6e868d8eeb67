// Measures the GCP push endpoint's event path against the GCP stand-in (in a
// process of its own, as the cloud is): Cloud Asset feed messages (IAM_POLICY
// changes of copies of the sample's buckets, granting allUsers every other time,
// so each changes a finding) handed to the Pub/Sub push route as Pub/Sub pushes them
// (its authentication aside), completed from batchGetAssetsHistory, judged, saved and written to
// Security Command Center, all through the official gRPC clients. The ceiling,
// then p50/p99 at half of it: receipt to ack, and the adapter's own part
// (drift_event_own_duration_seconds: the hub's calls taken off).
//   npx tsx --conditions=development tools/bench/gcp-events.ts [events]
import { PolicyEngine } from '@drift-detective/policy-engine';
import {
  gcpServe,
  openGcpRuntime,
  pubsubPushRoute,
  resolveGcpConfig,
} from '@drift-detective/provider-gcp';
import { writeEventResults } from './event-results.js';
import { gcpEventResources, type ExportRecord } from './event-resources.js';
import { policyDistDir } from './paths.js';
import {
  admitAll,
  measurePushEvents,
  openEndpoint,
  startStandInProcess,
  type Endpoint,
  type PushRequest,
} from './push-events.js';

const events = Number(process.argv[2] ?? 400);
/** Copies of the sample's buckets, each with its RESOURCE record in the stand-in's history. */
const { buckets } = gcpEventResources();

const OWNERS = {
  role: 'roles/storage.legacyBucketOwner',
  members: ['projectOwner:dd-fixtures-prod'],
};
const PUBLIC_GRANT = { role: 'roles/storage.objectViewer', members: ['allUsers'] };
/** Later than anything in the stand-in's history; each event a millisecond after the one before. */
const epoch = Date.now() + 60_000;

/**
 * Event `i`: an IAM_POLICY feed message of one bucket, granting allUsers every
 * other time it comes to that bucket, in the Pub/Sub push envelope
 * (https://cloud.google.com/pubsub/docs/push#receive_push; the TemporalAsset of
 * https://cloud.google.com/asset-inventory/docs/monitor-asset-changes).
 */
function eventOf(run: string, i: number): Promise<PushRequest> {
  const bucket = buckets[i % buckets.length] as ExportRecord;
  const open = Math.floor(i / buckets.length) % 2 === 0;
  const time = new Date(epoch + i).toISOString();
  const message = {
    asset: {
      name: bucket.name,
      assetType: bucket.asset_type,
      iamPolicy: { version: 1, bindings: open ? [OWNERS, PUBLIC_GRANT] : [OWNERS] },
      ancestors: bucket['ancestors'],
      updateTime: time,
    },
    priorAssetState: 'PRESENT',
    window: { startTime: time },
  };
  return Promise.resolve({
    body: {
      message: {
        data: Buffer.from(JSON.stringify(message)).toString('base64'),
        messageId: `${run}-${i}`,
        publishTime: time,
      },
      subscription: 'projects/dd-fixtures-prod/subscriptions/drift-bench',
    },
  });
}

const standIn = await startStandInProcess('gcp');
try {
  const engine = await PolicyEngine.load(policyDistDir);
  /** The endpoint as `gcp serve` wires it. */
  const start = (statePath: string): Promise<Endpoint> =>
    openEndpoint({
      config: resolveGcpConfig({ env: { ...standIn.env, DRIFT_STATE_PATH: statePath } }),
      engine,
      open: openGcpRuntime,
      serve: (runtime, push, deadLetter) =>
        gcpServe({ config: runtime.config, runtime, push, deadLetter }),
      route: (push, deadLetter) =>
        pubsubPushRoute({
          auth: admitAll,
          deliver: (events, signal) => push.deliver(events, signal),
          deadLetter,
        }),
    });
  await writeEventResults(
    await measurePushEvents({
      cloud: 'gcp',
      hub: 'Security Command Center stand-in (gRPC)',
      quota:
        'SCC: 1,000 writes a minute per project, 1–3 writes a finding (cloud.google.com/security-command-center/quotas)',
      events,
      start,
      eventOf,
    }),
  );
} finally {
  standIn.stop();
}
