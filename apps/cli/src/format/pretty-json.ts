/** Stands for the streamed array in the document's skeleton; no input holds it. */
const HOLE = '\u0000drift-detective:streamed-array\u0000';

/** Items of the streamed array joined into one piece of output. */
const ITEMS_PER_PIECE = 256;

/** `items` inside `depth` arrays: stringified with an indent of 2, its items sit `depth` levels in. */
function nested(items: readonly unknown[], depth: number): unknown {
  let value: unknown = items;
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

/**
 * `JSON.stringify(document, null, 2)` where `document` holds, at the place of
 * `HOLE_VALUE`, an array of `items`: the same text, written in pieces as the
 * items come, so the report never sits in memory as one string.
 * `skeleton(hole)` builds the document with `hole` where the array goes.
 *
 * Each piece of items is stringified inside as many arrays as the hole is
 * deep, so the native stringify indents them as the document does; indenting
 * each item's text afterwards cost as much again as stringifying it.
 */
export function* prettyJsonPieces<T>(
  skeleton: (hole: string) => unknown,
  items: Iterable<T>,
): Generator<string> {
  const text = JSON.stringify(skeleton(HOLE), null, 2);
  const marker = JSON.stringify(HOLE);
  const at = text.indexOf(marker);
  if (at === -1) throw new Error('the skeleton has no place for the streamed array');
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart))?.[0] ?? '';
  const depth = indent.length / 2;
  // What the wrapping arrays add before and after the array of a piece.
  let open = '';
  let close = '';
  for (let level = 0; level < depth; level++) {
    open += `${'  '.repeat(level)}[\n`;
    close = `\n${'  '.repeat(level)}]${close}`;
  }
  open += indent;
  const arrayEnd = `\n${indent}]`;
  yield text.slice(0, at);
  let first = true;
  const render = (piece: readonly T[]): string => {
    const wrapped = JSON.stringify(nested(piece, depth), null, 2);
    // `[\n` + the items, each on its lines at the document's indent + `\n<indent>]`.
    const array = wrapped.slice(open.length, wrapped.length - close.length);
    const body = array.slice(2, array.length - arrayEnd.length);
    const joined = `${first ? '[\n' : ',\n'}${body}`;
    first = false;
    return joined;
  };
  let piece: T[] = [];
  for (const item of items) {
    piece.push(item);
    if (piece.length === ITEMS_PER_PIECE) {
      yield render(piece);
      piece = [];
    }
  }
  if (piece.length > 0) yield render(piece);
  yield first ? '[]' : arrayEnd;
  yield `${text.slice(at + marker.length)}\n`;
}
