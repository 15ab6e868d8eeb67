import { AWS_USAGE } from '@drift-detective/provider-aws/cli';
import { AZURE_USAGE } from '@drift-detective/provider-azure/cli';
import { GCP_USAGE } from '@drift-detective/provider-gcp/cli';

export { EXIT, UsageError } from '@drift-detective/pipeline';

const EXIT_CODES = `Exit codes: 0 ran (findings or not), 1 --fail-on was hit by an ACTIVE finding, 2 bad usage or
unreadable input.
`;

const COMMANDS = `Commands:
  scan                 Scan exported native inventories (AWS Config, Azure Resource Graph / ARM,
                       GCP Cloud Asset) against the policy bundle.
  normalize            Print the normalized resources of native inventories (NDJSON), as the
                       rules see them. Takes --input and --provider like scan.
  evaluate <file>...   Evaluate resources already in the normalized model.
  rules                List the bundle's rules, or with --framework F (cis-aws-3.0, cis-azure-3.0,
                       cis-gcp-3.0, nist-800-53) each control: covered by which rules, not
                       observable from inventory and why, or planned.
  findings list        List the findings of a state (--state FILE|URL [--status S] [--format table|json]).
  waivers check        List waivers expiring soon; exit 1 on expired ones
                       ([--file policies/waivers.yaml] [--within DAYS, default 30]).
  aws sweep            Sweep AWS Config (each account and region, or an aggregator) into
                       Security Hub.
  aws worker           Judge AWS Config change events from an SQS queue as they come.
  azure sweep          Sweep Resource Graph (subscriptions, or a management group's) into
                       Defender for Cloud.
  azure serve          Judge Event Grid resource events delivered to a webhook as they come.
  gcp sweep            Sweep Cloud Asset Inventory (projects, folders or the organization) into
                       Security Command Center.
  gcp serve            Judge Cloud Asset feed messages pushed by Pub/Sub as they come.

Run drift-detective <command> --help for a command's options.
`;

const SCAN_OPTIONS = `scan options:
  -i, --input PATH         A file, a folder (all its files as one inventory) or - for stdin;
                           JSON or NDJSON. Repeatable.
  --provider aws|azure|gcp Skip detection of the cloud from the content.
  --format FORMAT          table | json | sarif | asff (default: table on a terminal, else json)
  --fail-on SEVERITY       Exit 1 when a finding is at or above CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL.
  --rules IDS              Only these rule ids (comma-separated, * globs: DD-NET-*). Repeatable.
  --exclude-rules IDS      Leave these rule ids out. Repeatable.
  --state FILE|URL         Reconcile against a state: each finding gains a transition
                           (new, updated, unchanged, resolved, reopened, suppressed, unsuppressed)
                           and fixed or vanished findings in the scanned scope come back RESOLVED.
                           A SQLite file has one writer at a time: waits $DRIFT_STATE_WAIT_SECONDS
                           (30) for another. A postgresql:// URL is a state shared with adapters
                           and other scans, locked per resource.
  --waivers FILE           Waiver file (default: policies/waivers.yaml when it exists).
  --progress               Progress on stderr (default: when stderr is a terminal).
  --threads N              Threads that evaluate the policy, each with an engine of its own
                           (default: the cores available; 1 evaluates in the main thread).
  --bundle DIR             Policy bundle folder (default: $DRIFT_POLICY_BUNDLE, else dist/policies)
`;

/** The help of each command: what `drift-detective <command> --help` prints. */
export const COMMAND_USAGE = {
  scan: `Usage: drift-detective scan --input PATH [--input PATH…] [options]\n\n${SCAN_OPTIONS}\n${EXIT_CODES}`,
  normalize: `Usage: drift-detective normalize --input PATH [--input PATH…] [--provider aws|azure|gcp]

Prints the normalized resources of native inventories as NDJSON, as the rules see them.
  -i, --input PATH         A file, a folder or - for stdin; JSON or NDJSON. Repeatable.
  --provider aws|azure|gcp Skip detection of the cloud from the content.

Exit codes: 0 done, 2 bad usage or unreadable input.
`,
  evaluate: `Usage: drift-detective evaluate [--format text|json] [--bundle DIR] FILE…

Evaluates resources already in the normalized model (JSON or NDJSON files).
  --format text|json   Output (default text).
  --bundle DIR         Policy bundle folder (default: $DRIFT_POLICY_BUNDLE, else dist/policies)

Exit codes: 0 done, 2 bad usage, unreadable input or a resource that could not be evaluated.
`,
  rules: `Usage: drift-detective rules [--framework FRAMEWORK] [--format table|json] [--bundle DIR]

Lists the bundle's rules (id, severity, title, kinds, frameworks). With --framework, lists that
framework's controls instead: each covered by the rules whose METADATA names it, not observable
from inventory (with the reason), or planned; CIS benchmarks from the control lists shipped in
the bundle, other frameworks (nist-800-53) from the controls the rules name.
  --framework F        cis-aws-3.0 | cis-azure-3.0 | cis-gcp-3.0 | nist-800-53
  --format table|json  Output (default table).
  --bundle DIR         Policy bundle folder (default: $DRIFT_POLICY_BUNDLE, else dist/policies)

Exit codes: 0 done, 2 bad usage or a bundle that cannot be read.
`,
  findings: `Usage: drift-detective findings list --state FILE|URL [--status ACTIVE|RESOLVED|SUPPRESSED] [--format table|json]

Lists the findings of a state: a SQLite file, or a postgresql:// URL. Only reads: it works while
a scan or an adapter writes it.

Exit codes: 0 done, 2 bad usage or a state that cannot be read.
`,
  waivers: `Usage: drift-detective waivers check [--file policies/waivers.yaml] [--within DAYS]

Lists the waivers that expire within DAYS (default 30), for a policy repo's CI.

Exit codes: 0 none expired, 1 an expired waiver, 2 bad usage or a malformed waiver file.
`,
  aws: `Usage: drift-detective aws sweep|worker [options]

  sweep    Sweep AWS Config (each account and region, or an aggregator) into Security Hub.
  worker   Judge AWS Config change events from an SQS queue as they come.

${AWS_USAGE}
Exit codes: 0 done (a worker: stopped by SIGTERM or Ctrl-C after draining), 2 bad settings, an
AWS error past the retries or timeouts, or a sweep that could not read every record or was
stopped by SIGTERM or Ctrl-C (it resolved nothing as deleted and resumes next run).
`,
  azure: `Usage: drift-detective azure sweep|serve [options]

  sweep    Sweep Resource Graph (subscriptions, or a management group's) into Defender for Cloud.
  serve    Judge Event Grid resource events delivered to a webhook as they come.

${AZURE_USAGE}
Exit codes: 0 done (serve: stopped by SIGTERM or Ctrl-C after finishing what it accepted), 2 bad
settings, an Azure error past the retries or timeouts, a subscription that could not be read, or
a sweep that could not read every record or was stopped by SIGTERM or Ctrl-C (it resolved
nothing as deleted and resumes next run).
`,
  gcp: `Usage: drift-detective gcp sweep|serve [options]

  sweep    Sweep Cloud Asset Inventory (projects, folders or the organization) into Security
           Command Center.
  serve    Judge Cloud Asset feed messages pushed by Pub/Sub as they come.

${GCP_USAGE}
Exit codes: 0 done (serve: stopped by SIGTERM or Ctrl-C after finishing what it accepted), 2 bad
settings, a Google error past the retries or timeouts, a project, folder or organization that
could not be read, or a sweep that could not read every record or was stopped by SIGTERM or
Ctrl-C (it resolved nothing as deleted and resumes next run).
`,
} as const;

export const USAGE = `Usage: drift-detective <command> [options]

${COMMANDS}
  -h, --help           Show this help
  -v, --version        Show the version

${EXIT_CODES}`;
