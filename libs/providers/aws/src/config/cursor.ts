/**
 * Where a Config sweep goes on: the index of the resource type in the
 * sweep's list, its name (so that a cursor saved by a sweep of other types is
 * refused, not misread), and the nextToken of its next listed page (null: the
 * type's first page). index = the number of types: the sweep is done.
 */
export interface SweepPosition {
  readonly index: number;
  readonly nextToken: string | null;
}

const VERSION = 1;

/**
 * A well-formed cursor saved by a sweep of another type list (an upgrade
 * added a supported type, resourceTypes was edited): where it points means
 * nothing in this sweep's list.
 */
export class CursorOfOtherTypesError extends Error {
  override readonly name = 'CursorOfOtherTypesError';
}

export function encodeCursor(position: SweepPosition, types: readonly string[]): string {
  return JSON.stringify({
    v: VERSION,
    index: position.index,
    type: types[position.index] ?? null,
    nextToken: position.nextToken,
  });
}

/**
 * The position a saved cursor names. Throws CursorOfOtherTypesError for a
 * cursor of a sweep of other types, Error for one that is not a cursor.
 */
export function decodeCursor(cursor: string, types: readonly string[]): SweepPosition {
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    throw new Error(`not an AWS Config sweep cursor: ${cursor.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`not an AWS Config sweep cursor: ${cursor.slice(0, 80)}`);
  }
  const { v, index, type, nextToken } = value as Record<string, unknown>;
  if (v !== VERSION) throw new Error(`AWS Config sweep cursor of unknown version ${String(v)}`);
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new Error(`AWS Config sweep cursor names no resource type of this sweep: ${cursor}`);
  }
  if (index > types.length) {
    throw new CursorOfOtherTypesError(
      `AWS Config sweep cursor names no resource type of this sweep: ${cursor}`,
    );
  }
  if (type !== (types[index] ?? null)) {
    throw new CursorOfOtherTypesError(
      `AWS Config sweep cursor was saved by a sweep of other resource types (${String(type)} at ${index}): ${cursor}`,
    );
  }
  if (nextToken !== null && (typeof nextToken !== 'string' || nextToken === '')) {
    throw new Error(`AWS Config sweep cursor has an invalid nextToken: ${cursor}`);
  }
  if (index === types.length && nextToken !== null) {
    throw new Error(`AWS Config sweep cursor is past the last resource type: ${cursor}`);
  }
  return { index, nextToken };
}
