/** A mistake in how the command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes: a contract for CI pipelines. */
export const EXIT = {
  ok: 0,
  /** Reserved for --fail-on: findings at or above the threshold. */
  findings: 1,
  /** Bad usage, unreadable or malformed input, or a resource that could not be evaluated. */
  error: 2,
} as const;

export const USAGE = `Usage: drift-detective <command> [options]

Commands:
  evaluate <file>...   Evaluate normalized resources (JSON array, object, or NDJSON)
                       against the compiled policy bundle and print the violations.

Options:
  --bundle DIR         Policy bundle folder (default: $DRIFT_POLICY_BUNDLE, else dist/policies)
  --format text|json   Output format (default: text)
  -h, --help           Show this help
`;
