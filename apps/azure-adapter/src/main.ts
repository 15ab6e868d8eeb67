// The Azure adapter as a process (a container, a VM, a cron job):
// `drift-detective-azure sweep|serve [flags]`, the same command as
// `drift-detective azure …`, without the offline scanner and the other clouds.
import path from 'node:path';
import { runAdapterProcess } from '@drift-detective/pipeline';
import { AZURE_USAGE, azureMain } from '@drift-detective/provider-azure';

const USAGE = `Usage: drift-detective-azure sweep|serve [options]
  sweep    Sweep Resource Graph (subscriptions, or a management group's) into Defender for Cloud.
  serve    Judge Event Grid resource events delivered to a webhook as they come.
${AZURE_USAGE}Exit codes: 0 done (serve: stopped by SIGTERM or Ctrl-C after finishing what it accepted),
2 bad settings, an Azure error past the retries or timeouts, a subscription that could not be
read, or a sweep stopped by SIGTERM or Ctrl-C (the next run resumes after its last saved page).
`;

/**
 * The policy bundle when neither --bundle nor DRIFT_POLICY_BUNDLE names one:
 * the workspace's dist/policies (this module sits in apps/azure-adapter/dist/process).
 */
const defaultBundle = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'dist', 'policies');

await runAdapterProcess('drift-detective-azure', USAGE, (args, io) =>
  azureMain(args, io, { defaultBundle, usage: USAGE }),
);
