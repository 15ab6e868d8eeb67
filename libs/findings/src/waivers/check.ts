import { DAY_MS, expiryEnd } from './expiry.js';
import type { Waiver } from './waiver.js';

export interface WaiverCheck {
  /** Expiry day already over: these no longer suppress anything and should be removed or renewed. */
  readonly expired: Waiver[];
  /** Still active, but ending within the given number of days. */
  readonly expiringSoon: Waiver[];
}

/**
 * Sorts waivers for `waivers check`: expired ones, and active ones whose end
 * (midnight UTC after the expiry day) is at most `withinDays` days after
 * `now`. Both lists keep file order.
 */
export function checkWaivers(
  waivers: readonly Waiver[],
  now: Date,
  withinDays: number,
): WaiverCheck {
  if (!Number.isFinite(withinDays) || withinDays < 0) {
    throw new RangeError(`withinDays must be a non-negative number of days, got ${withinDays}`);
  }
  const at = now.getTime();
  const horizon = at + withinDays * DAY_MS;
  const expired: Waiver[] = [];
  const expiringSoon: Waiver[] = [];
  for (const waiver of waivers) {
    const end = expiryEnd(waiver);
    if (end <= at) expired.push(waiver);
    else if (end <= horizon) expiringSoon.push(waiver);
  }
  return { expired, expiringSoon };
}
