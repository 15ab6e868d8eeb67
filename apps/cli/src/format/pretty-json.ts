/** Stands for the streamed array in the document's skeleton; no input holds it. */
const HOLE = '\u0000drift-detective:streamed-array\u0000';

/** Items of the streamed array joined into one piece of output. */
const ITEMS_PER_PIECE = 256;

/**
 * `JSON.stringify(document, null, 2)` where `document` holds, at the place of
 * `HOLE_VALUE`, an array of `items`: the same text, written in pieces as the
 * items come, so the report never sits in memory as one string.
 * `skeleton(hole)` builds the document with `hole` where the array goes.
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
  const inner = `${indent}  `;
  yield text.slice(0, at);
  let piece: string[] = [];
  let first = true;
  for (const item of items) {
    const body = JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`);
    piece.push(`${first ? '[\n' : ',\n'}${inner}${body}`);
    first = false;
    if (piece.length === ITEMS_PER_PIECE) {
      yield piece.join('');
      piece = [];
    }
  }
  piece.push(first ? '[]' : `\n${indent}]`);
  yield piece.join('');
  yield `${text.slice(at + marker.length)}\n`;
}
