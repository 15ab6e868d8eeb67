/**
 * A mistake in how a command was called, or an input or file it cannot use:
 * printed without a stack, exit code 2. `showUsage` (the default) adds where
 * to read the usage; a file that cannot be read or written is not a question
 * of usage, and its one line stands alone.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly showUsage: boolean;

  constructor(message: string, options: { readonly showUsage?: boolean } = {}) {
    super(message);
    this.showUsage = options.showUsage ?? true;
  }
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
