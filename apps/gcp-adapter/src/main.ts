// The GCP adapter as a process: the Cloud Run service (`serve`, Pub/Sub push
// deliveries of Cloud Asset feed messages) and the sweep job (`sweep`, a
// Cloud Run job or Cloud Scheduler's). The same command as `drift-detective
// gcp …`, without the offline scanner and the other clouds.
import path from 'node:path';
import { runAdapterProcess } from '@drift-detective/pipeline';
import { GCP_USAGE, gcpMain } from '@drift-detective/provider-gcp';

const USAGE = `Usage: drift-detective-gcp sweep|serve [options]
  sweep    Sweep Cloud Asset Inventory (projects, folders or the organization) into Security
           Command Center.
  serve    Judge Cloud Asset feed messages pushed by Pub/Sub as they come (Cloud Run).
${GCP_USAGE}Exit codes: 0 done (serve: stopped by SIGTERM or Ctrl-C after finishing what it accepted),
2 bad settings, a Google error past the retries or timeouts, a parent that could not be read,
or a sweep stopped by SIGTERM or Ctrl-C (the next run resumes after its last saved page).
`;

/**
 * The policy bundle when neither --bundle nor DRIFT_POLICY_BUNDLE names one:
 * the workspace's dist/policies (this module sits in apps/gcp-adapter/dist).
 */
const defaultBundle = path.resolve(import.meta.dirname, '..', '..', '..', 'dist', 'policies');

await runAdapterProcess('drift-detective-gcp', USAGE, (args, io) =>
  gcpMain(args, io, { defaultBundle, usage: USAGE }),
);
