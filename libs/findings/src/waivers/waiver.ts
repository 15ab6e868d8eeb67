/**
 * A waiver accepts the findings of one rule (or rule glob) on the resources it
 * matches, for a reason, with an owner, until the end of its expiry day (UTC).
 */
export interface Waiver {
  /** A rule id, or a glob such as DD-NET-* (case-insensitive). */
  readonly rule: string;
  /** Every listed criterion must match; at least one is present. */
  readonly resource: {
    /** Glob on the canonical resource id (case-sensitive). */
    readonly id?: string;
    /** Exact AWS account, Azure subscription or GCP project. */
    readonly account?: string;
    /** Every listed tag must have exactly this value. */
    readonly tags?: Readonly<Record<string, string>>;
  };
  readonly reason: string;
  readonly owner: string;
  /** YYYY-MM-DD; the waiver is active through that whole day, UTC. */
  readonly expires: string;
  /** The 1-based line where the entry starts in its file; null when it did not come from one. */
  readonly line: number | null;
}

/** What a waiver is matched against: the fields of a finding that waivers can name. */
export interface WaiverSubject {
  readonly ruleId: string;
  readonly resourceId: string;
  readonly account: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** One problem of a waiver file, at a 1-based line when it is known. */
export interface WaiverProblem {
  readonly line: number | null;
  readonly message: string;
}

/**
 * A waiver file that cannot be read or does not follow the format. It carries
 * every problem of the file, so one run shows all of them, one per line as
 * `file:line: message`.
 */
export class WaiverFileError extends Error {
  override readonly name = 'WaiverFileError';

  constructor(
    readonly file: string,
    readonly problems: readonly WaiverProblem[],
  ) {
    super(
      problems
        .map((p) => (p.line === null ? `${file}: ${p.message}` : `${file}:${p.line}: ${p.message}`))
        .join('\n'),
    );
  }
}
