import { createHash } from 'node:crypto';

/**
 * Where an asset sweep goes on. `resources`: the RESOURCE listing, at its page token (null:
 * its first page). `leftovers`: the IAM_POLICY records no RESOURCE record took, after the
 * asset name `after` (null: from the first), in name order.
 */
export type SweepPosition =
  | { readonly phase: 'resources'; readonly pageToken: string | null }
  | { readonly phase: 'leftovers'; readonly after: string | null };

/** A saved position and the snapshot it belongs to. */
export interface SavedPosition {
  readonly position: SweepPosition;
  /** The listAssets read_time every call of the sweep pins, RFC 3339 UTC. */
  readonly readTime: string;
}

/** What a cursor must match to be resumed: the parent and what is listed under it. */
export interface CursorContext {
  readonly parent: string;
  readonly assetTypes: readonly string[];
  /** Where ORG_POLICY records are listed; null: not listed. */
  readonly orgPolicyParent: string | null;
}

const VERSION = 1;
const KIND = 'gcp-asset-sweep';

/**
 * A well-formed cursor of another sweep (another parent, other types) or of a snapshot that
 * can no longer be read: a page token only continues the query that made it
 * (https://google.aip.dev/158), and read_time reaches back 35 days at most
 * (https://cloud.google.com/asset-inventory/docs/reference/rpc/google.cloud.asset.v1#listassetsrequest).
 */
export class CursorOfOtherSweepError extends Error {
  override readonly name = 'CursorOfOtherSweepError';
}

/** A short fingerprint of the listed types: cursors stay small, a changed list is told apart. */
function listFingerprint(context: CursorContext): string {
  const types = [...context.assetTypes].sort().join(',');
  return createHash('sha256')
    .update(`${types}\n${context.orgPolicyParent ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

export function encodeCursor(saved: SavedPosition, context: CursorContext): string {
  const { position } = saved;
  return JSON.stringify({
    v: VERSION,
    kind: KIND,
    parent: context.parent,
    list: listFingerprint(context),
    readTime: saved.readTime,
    phase: position.phase,
    ...(position.phase === 'resources'
      ? { pageToken: position.pageToken }
      : { after: position.after }),
  });
}

function notACursor(cursor: string, why: string): Error {
  return new Error(`not a Cloud Asset sweep cursor (${why}): ${cursor.slice(0, 120)}`);
}

const nullOrText = (value: unknown): value is string | null =>
  value === null || (typeof value === 'string' && value !== '');

/**
 * The position a saved cursor names. Throws CursorOfOtherSweepError for a cursor of another
 * sweep (or one whose snapshot is older than `oldestReadTime`), Error for anything that is no
 * cursor of this reader (another cloud's, another version, a bad field).
 */
export function decodeCursor(
  cursor: string,
  context: CursorContext,
  oldestReadTime: Date,
): SavedPosition {
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    throw notACursor(cursor, 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw notACursor(cursor, 'not an object');
  }
  const { v, kind, parent, list, readTime, phase, pageToken, after } = value as Record<
    string,
    unknown
  >;
  if (kind !== KIND) throw notACursor(cursor, 'no cursor of a Cloud Asset sweep');
  if (v !== VERSION) throw notACursor(cursor, `version ${String(v)}, expected ${VERSION}`);
  if (typeof parent !== 'string' || typeof list !== 'string') {
    throw notACursor(cursor, 'no parent or type list');
  }
  const readAt = typeof readTime === 'string' ? Date.parse(readTime) : Number.NaN;
  if (typeof readTime !== 'string' || !readTime.endsWith('Z') || Number.isNaN(readAt)) {
    throw notACursor(cursor, 'no read time');
  }
  let position: SweepPosition;
  if (phase === 'resources' && nullOrText(pageToken)) position = { phase, pageToken };
  else if (phase === 'leftovers' && nullOrText(after)) position = { phase, after };
  else throw notACursor(cursor, 'no phase and position');
  if (parent !== context.parent) {
    throw new CursorOfOtherSweepError(`the cursor is of a sweep of ${parent}`);
  }
  if (list !== listFingerprint(context)) {
    throw new CursorOfOtherSweepError('the cursor is of a sweep of other asset types');
  }
  if (readAt < oldestReadTime.getTime()) {
    throw new CursorOfOtherSweepError(`the cursor's snapshot (${readTime}) can no longer be read`);
  }
  return { position, readTime };
}
