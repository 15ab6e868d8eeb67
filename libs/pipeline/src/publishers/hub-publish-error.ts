import type { PartialPublishFailure } from '../interfaces.js';

/** One finding a hub did not take: its id and whether sending it again can ever help. */
export interface HubRefusal {
  /** The finding id (FindingRecord.id). */
  readonly id: string;
  readonly permanent: boolean;
}

/** At most this many refusals are spelled out in the message; every one is in `failures` and `rejected`. */
const LISTED = 10;

/**
 * What a hub's publisher throws when findings were not taken: the pipeline
 * marks the others published, keeps these pending, and counts the permanent
 * ones instead of retrying them forever. `describe` says one line of each
 * (its id, resource, the call that failed and why).
 */
export class HubPublishError<F extends HubRefusal> extends Error implements PartialPublishFailure {
  readonly rejected: PartialPublishFailure['rejected'];

  constructor(
    hub: string,
    readonly failures: readonly F[],
    readonly total: number,
    describe: (failure: F) => string,
  ) {
    const listed = failures.slice(0, LISTED).map(describe).join('; ');
    const more = failures.length > LISTED ? `; and ${failures.length - LISTED} more` : '';
    super(`${hub} did not take ${failures.length} of ${total} finding(s): ${listed}${more}`);
    this.rejected = failures.map((f) => ({
      id: f.id,
      permanent: f.permanent,
      reason: describe(f),
    }));
  }
}
