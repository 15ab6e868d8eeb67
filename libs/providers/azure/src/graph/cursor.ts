import { createHash } from 'node:crypto';
import type { SweepPhase } from './sweep-plan.js';

/**
 * Where a Resource Graph sweep goes on: the phase (query) of the sweep and
 * the skip token of its next page (null: the phase's first page). phase =
 * the number of phases: the sweep is done.
 */
export interface SweepPosition {
  readonly phase: number;
  readonly skipToken: string | null;
}

/** What a cursor must match to be resumed: the subscription and the queries. */
export interface CursorContext {
  readonly subscription: string;
  readonly phases: readonly SweepPhase[];
}

const VERSION = 1;

/**
 * A well-formed cursor of another sweep (another subscription, another type
 * list, an older query text): a skip token is only valid for the very query
 * that made it, so resuming it would read the wrong rows.
 * https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources#queryresponse
 */
export class CursorOfOtherSweepError extends Error {
  override readonly name = 'CursorOfOtherSweepError';
}

/** A short fingerprint of a query: cursors stay small, and a changed query is told apart. */
export function queryFingerprint(query: string): string {
  return createHash('sha256').update(query).digest('hex').slice(0, 16);
}

export function encodeCursor(position: SweepPosition, context: CursorContext): string {
  const phase = context.phases[position.phase];
  return JSON.stringify({
    v: VERSION,
    subscription: context.subscription.toLowerCase(),
    phase: position.phase,
    table: phase?.table ?? null,
    query: phase ? queryFingerprint(phase.query) : null,
    skipToken: position.skipToken,
  });
}

function notACursor(cursor: string, why: string): Error {
  return new Error(`not a Resource Graph sweep cursor (${why}): ${cursor.slice(0, 120)}`);
}

/**
 * The position a saved cursor names. Throws CursorOfOtherSweepError for a
 * cursor of another sweep, Error for anything that is no cursor of this
 * reader (another cloud's, another version, a bad field).
 */
export function decodeCursor(cursor: string, context: CursorContext): SweepPosition {
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    throw notACursor(cursor, 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw notACursor(cursor, 'not an object');
  }
  const { v, subscription, phase, table, query, skipToken } = value as Record<string, unknown>;
  if (v !== VERSION) throw notACursor(cursor, `version ${String(v)}, expected ${VERSION}`);
  if (
    typeof subscription !== 'string' ||
    typeof phase !== 'number' ||
    !Number.isInteger(phase) ||
    phase < 0
  ) {
    throw notACursor(cursor, 'no subscription or phase');
  }
  if (skipToken !== null && (typeof skipToken !== 'string' || skipToken === '')) {
    throw notACursor(cursor, 'a skip token that is no text');
  }
  if (subscription !== context.subscription.toLowerCase()) {
    throw new CursorOfOtherSweepError(`the cursor is of a sweep of subscription ${subscription}`);
  }
  const expected = context.phases[phase];
  if (
    phase > context.phases.length ||
    (expected === undefined && (table !== null || query !== null))
  ) {
    throw new CursorOfOtherSweepError(`the cursor is of a sweep of other queries (phase ${phase})`);
  }
  if (expected && (table !== expected.table || query !== queryFingerprint(expected.query))) {
    throw new CursorOfOtherSweepError(
      `the cursor is of a sweep of other queries (${String(table)} at phase ${phase})`,
    );
  }
  if (expected === undefined && skipToken !== null)
    throw notACursor(cursor, 'a skip token past the last query');
  return { phase, skipToken: skipToken as string | null };
}
