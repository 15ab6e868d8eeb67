/** A mistake in how a command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes: a contract for CI pipelines and schedulers, the same in every command. */
export const EXIT = {
  ok: 0,
  /** --fail-on: a finding at or above the threshold. */
  findings: 1,
  /** Bad usage, unreadable input, bad settings, or a cloud failure past its retries. */
  error: 2,
} as const;

/** Where a command writes its answer and its one-line errors. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}
