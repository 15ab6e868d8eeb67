import { AWS_USAGE } from '@drift-detective/provider-aws';

export { EXIT, UsageError } from '@drift-detective/pipeline';

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

${AWS_USAGE}Common options:
  --bundle DIR         Policy bundle folder (default: $DRIFT_POLICY_BUNDLE, else dist/policies)
  -h, --help           Show this help

Exit codes: 0 ran (findings or not), 1 --fail-on was hit by an ACTIVE finding, 2 bad usage or
unreadable input.
`;
