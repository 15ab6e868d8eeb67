/** A mistake in how the command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes: a contract for CI pipelines. */
export const EXIT = {
  ok: 0,
  /** --fail-on: a finding at or above the threshold. */
  findings: 1,
  /** Bad usage, an unreadable or malformed input, or a resource that could not be evaluated (evaluate). */
  error: 2,
} as const;

export const USAGE = `Usage: drift-detective <command> [options]

Commands:
  scan                 Scan exported native inventories (AWS Config, Azure Resource Graph / ARM,
                       GCP Cloud Asset) against the policy bundle.
  normalize            Print the normalized resources of native inventories (NDJSON), as the
                       rules see them. Takes --input and --provider like scan.
  evaluate <file>...   Evaluate resources already in the normalized model.
  findings list        List the findings of a state file (--state FILE [--status S] [--format table|json]).
  waivers check        List waivers expiring soon; exit 1 on expired ones
                       ([--file policies/waivers.yaml] [--within DAYS, default 30]).
  aws sweep            Sweep AWS Config (each account and region, or an aggregator) into
                       Security Hub.
  aws worker           Judge AWS Config change events from an SQS queue as they come.

scan options:
  -i, --input PATH         A file, a folder (all its files as one inventory) or - for stdin;
                           JSON or NDJSON. Repeatable.
  --provider aws|azure|gcp Skip detection of the cloud from the content.
  --format FORMAT          table | json | sarif | asff (default: table on a terminal, else json)
  --fail-on SEVERITY       Exit 1 when a finding is at or above CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL.
  --rules IDS              Only these rule ids (comma-separated, * globs: DD-NET-*). Repeatable.
  --exclude-rules IDS      Leave these rule ids out. Repeatable.
  --state FILE             Reconcile against a SQLite state file: each finding gains a transition
                           (new, updated, unchanged, resolved, reopened, suppressed, unsuppressed)
                           and fixed or vanished findings in the scanned scope come back RESOLVED.
  --waivers FILE           Waiver file (default: policies/waivers.yaml when it exists).
  --progress               Progress on stderr (default: when stderr is a terminal).

aws options (each also from the environment or a config file; flag > env > file):
  --config FILE                 YAML or JSON settings file ($DRIFT_CONFIG)
  --regions R,R                 Regions to sweep ($DRIFT_AWS_REGIONS; default: the SDK's region)
  --home-region R               Security Hub region for global (IAM) findings ($DRIFT_AWS_HOME_REGION)
  --accounts ID,ID              Sweep these accounts, each through --member-role ($DRIFT_AWS_ACCOUNTS)
  --aggregator NAME             Sweep an AWS Config aggregator ($DRIFT_AWS_AGGREGATOR)
  --member-role NAME            Role assumed in other accounts to import their findings
                                ($DRIFT_AWS_MEMBER_ROLE)
  --resource-types T,T          Only these AWS Config types ($DRIFT_AWS_RESOURCE_TYPES)
  --queue-url URL               The worker's SQS queue ($DRIFT_AWS_QUEUE_URL)
  --dead-letter-queue-url URL   Poison messages go here with their reason ($DRIFT_AWS_DLQ_URL;
                                default: the queue's RedrivePolicy target)
  --state FILE                  SQLite state file ($DRIFT_STATE_PATH; default drift-state.db)
  --dry-run                     Findings as JSON lines on stdout, not Security Hub ($DRIFT_DRY_RUN)
  --concurrency N               Messages judged at once ($DRIFT_CONCURRENCY; default 16)
  --max-attempts N              Deliveries before a failing message is dead-lettered
                                ($DRIFT_MAX_ATTEMPTS; default 5)
  --waivers FILE                Waiver file ($DRIFT_WAIVERS)
  --metrics-port N              Serve /healthz, /readyz and Prometheus /metrics ($DRIFT_METRICS_PORT)
  Credentials come only from the AWS SDK's default chain; AWS_ENDPOINT_URL and
  AWS_ENDPOINT_URL_<SERVICE> override endpoints.

Common options:
  --bundle DIR         Policy bundle folder (default: $DRIFT_POLICY_BUNDLE, else dist/policies)
  -h, --help           Show this help

Exit codes: 0 ran (findings or not), 1 --fail-on was hit by an ACTIVE finding, 2 bad usage or
unreadable input.
`;
