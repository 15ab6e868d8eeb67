// The Azure adapter as a process (a container, a VM, a cron job):
// `drift-detective-azure sweep|serve [flags]`, the same command as
// `drift-detective azure …`, without the offline scanner and the other clouds.
import path from 'node:path';
import { runCommandLine, type CommandIo } from '@drift-detective/pipeline';
import { AZURE_USAGE, azureMain } from '@drift-detective/provider-azure';

const io: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

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

const args = process.argv.slice(2);
await runCommandLine(
  () =>
    args.length === 0
      ? Promise.resolve((io.err(USAGE), 2))
      : azureMain(
          args,
          { ...io, log: process.stderr, stdout: process.stdout },
          { defaultBundle, usage: USAGE },
        ),
  io,
  'drift-detective-azure',
);
