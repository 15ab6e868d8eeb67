// The AWS adapter as a process (a container, a VM, a cron job):
// `drift-detective-aws sweep|worker [flags]`, the same command as
// `drift-detective aws …`, without the offline scanner and the other clouds.
import path from 'node:path';
import { runAdapterProcess } from '@drift-detective/pipeline';
import { AWS_USAGE, awsMain } from '@drift-detective/provider-aws';

const USAGE = `Usage: drift-detective-aws sweep|worker [options]
  sweep    Sweep AWS Config (each account and region, or an aggregator) into Security Hub.
  worker   Judge AWS Config change events from an SQS queue as they come.
${AWS_USAGE}Exit codes: 0 done (a worker: stopped by SIGTERM or Ctrl-C after draining), 2 bad
settings, an AWS error past the retries or timeouts, a sweep that could not read every record,
or a sweep stopped by SIGTERM or Ctrl-C (the next run resumes after its last saved page).
`;

/**
 * The policy bundle when neither --bundle nor DRIFT_POLICY_BUNDLE names one:
 * the workspace's dist/policies (this module sits in apps/aws-adapter/dist/process).
 */
const defaultBundle = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'dist', 'policies');

await runAdapterProcess('drift-detective-aws', USAGE, (args, io) =>
  awsMain(args, io, { defaultBundle, usage: USAGE }),
);
