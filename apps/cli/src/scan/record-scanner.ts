/**
 * Finds the records of a large JSON document without a token-level parser:
 * it walks the bytes once, keeping only the nesting and whether it is inside
 * a string, cuts out each element of a record array and hands its text to
 * JSON.parse. Memory stays bounded by the largest record. Everything outside
 * the records (the document's skeleton, each record array written as `[]`)
 * is kept and parsed at the end, so a document that is not JSON is refused
 * whatever part of it is broken; a broken record is refused by JSON.parse.
 */

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const COMMA = 0x2c; // ,
const NEWLINE = 0x0a;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** What the scanner throws: the problem and the line it is on (1-based). */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    readonly reason: string,
    /** Where it is, when the scanner knows. */
    readonly line?: number | undefined,
  ) {
    super(line === undefined ? reason : `${reason} at line ${line}`);
  }
}

/** Where a scan inside an object or array element stands between chunks. */
interface ContainerScan {
  /** Brackets open. */
  depth: number;
  inString: boolean;
  escaped: boolean;
  /** Newlines passed (added by skipContainer). */
  lines: number;
}

/** What skipContainer makes of a byte: nothing (0, most bytes) or one of these. */
const STRING_START = 1;
const STRING_END = 1;
const ESCAPE = 2;
const LINE = 3;
const OPENS = 4;
const CLOSES = 5;

/** A table of 256 entries: each byte's kind, 0 for the bytes not listed. */
function byteKinds(kinds: readonly (readonly [number, number])[]): Uint8Array {
  const table = new Uint8Array(256);
  for (const [byte, kind] of kinds) table[byte] = kind;
  return table;
}

/** The bytes that matter inside a string. */
const IN_STRING = byteKinds([
  [QUOTE, STRING_END],
  [BACKSLASH, ESCAPE],
  [NEWLINE, LINE],
]);
/** The bytes that matter outside strings. */
const OUTSIDE = byteKinds([
  [QUOTE, STRING_START],
  [NEWLINE, LINE],
  [OPEN_OBJECT, OPENS],
  [OPEN_ARRAY, OPENS],
  [CLOSE_OBJECT, CLOSES],
  [CLOSE_ARRAY, CLOSES],
]);

/**
 * Runs through an object or array element from `from`: the index of the
 * bracket that closes it, or the chunk's length when it goes on in the next.
 * A function of its own, on locals: in the scanner's closure-captured state
 * the same loop ran at a third of the speed. Each run of bytes that mean
 * nothing (most of a record: the text of its strings) is passed by a loop of
 * one table lookup per byte, three times as fast as testing each byte
 * against every character that matters.
 */
function skipContainer(chunk: Buffer, from: number, state: ContainerScan): number {
  let { depth, inString, escaped, lines } = state;
  const length = chunk.length;
  let i = from;
  // A backslash that ended the chunk before escapes this one (never counted as a line).
  if (escaped && i < length) {
    escaped = false;
    i++;
  }
  while (i < length) {
    let kind = 0;
    if (inString) {
      while (i < length && (kind = IN_STRING[chunk[i] as number] as number) === 0) i++;
      if (i === length) break;
      // A raw newline is not JSON, but counting it keeps later lines right; after an escape
      // the next byte is text, in this chunk or (`escaped`) the next.
      if (kind === STRING_END) inString = false;
      else if (kind === LINE) lines++;
      else if (i + 1 < length) i++;
      else escaped = true;
      i++;
      continue;
    }
    while (i < length && (kind = OUTSIDE[chunk[i] as number] as number) === 0) i++;
    if (i === length) break;
    if (kind === STRING_START) inString = true;
    else if (kind === OPENS) depth++;
    else if (kind === CLOSES) {
      if (--depth === 0) break;
    } else lines++;
    i++;
  }
  state.depth = depth;
  state.inString = inString;
  state.escaped = escaped;
  state.lines = lines;
  return i;
}

/** Where a record array's elements are: before one, after one, or after a comma. */
type ArrayState = 'first' | 'after-element' | 'after-comma';

/** A record's JSON text parsed; a record that is not JSON names its line. */
function parseRecord(text: string, line: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new JsonSyntaxError(`a record ${(error as Error).message}`, line);
  }
}

/**
 * The elements of the document's record arrays, parsed, in order: the
 * elements of a top-level array, and of the arrays under the top-level keys
 * `isRecordKey` accepts. Throws JsonSyntaxError when the document is not
 * JSON; records before the fault have been yielded by then.
 */
export function scanRecords(
  chunks: AsyncIterable<Buffer>,
  isRecordKey: (key: string) => boolean,
): AsyncGenerator<unknown> {
  return scanRecordsAs(chunks, isRecordKey, (parts, line) => parseRecord(textOf(parts), line));
}

const textOf = (parts: readonly Buffer[]) => Buffer.concat(parts).toString('utf8');

/** Where a record's JSON text is in the document: bytes [start, end). */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * The same elements, parsed, each with where its bytes are: a second reading
 * can then take a record's bytes without scanning the document again.
 */
export function scanRecordSpans(
  chunks: AsyncIterable<Buffer>,
  isRecordKey: (key: string) => boolean,
): AsyncGenerator<{ readonly value: unknown; readonly span: ByteSpan }> {
  return scanRecordsAs(chunks, isRecordKey, (parts, line, span) => ({
    value: parseRecord(textOf(parts), line),
    span,
  }));
}

/**
 * Where each record is (its bytes and the line it starts on), neither
 * decoded nor parsed: for a reader that parses the records elsewhere. Only
 * the skeleton is checked here.
 */
export function scanRecordPlaces(
  chunks: AsyncIterable<Buffer>,
  isRecordKey: (key: string) => boolean,
): AsyncGenerator<{ readonly span: ByteSpan; readonly line: number }> {
  return scanRecordsAs(chunks, isRecordKey, (_parts, line, span) => ({ span, line }));
}

async function* scanRecordsAs<T>(
  chunks: AsyncIterable<Buffer>,
  isRecordKey: (key: string) => boolean,
  finish: (parts: readonly Buffer[], line: number, span: ByteSpan) => T,
): AsyncGenerator<T> {
  /** Open containers, innermost last: true for an object. */
  const stack: boolean[] = [];
  let inString = false;
  let escaped = false;
  let line = 1;
  /** The skeleton: every byte outside the records, kept to be parsed at the end. */
  const skeleton: Buffer[] = [];
  /** A top-level key being read: its parts so far (JSON text, quotes included). */
  let key: Buffer[] | null = null;
  let keyStart = 0;
  /** The top-level object's last key, until the next comma. */
  let lastKey: string | null = null;
  /** At depth 1 of a top-level object: whether the next string is a key. */
  let expectKey = false;
  /** Depth of the record array we are in (its own stack length), or -1. */
  let recordDepth = -1;
  let arrayState: ArrayState = 'first';
  /** The element being cut out: its parts so far, and how it ends. */
  let element: Buffer[] | null = null;
  let elementLine = 0;
  /** Bytes of the chunks before this one, and where the element starts in the document. */
  let consumed = 0;
  let elementStart = 0;
  /** A scalar element (number, true, false, null) ends before the next comma, closing bracket or space. */
  let scalar = false;
  /**
   * Brackets open in an object or array element. Inside one only strings and
   * brackets matter: its end is found in a tight loop, and JSON.parse judges
   * the rest of its text.
   */
  let containerDepth = 0;

  /**
   * Keeps a piece of the skeleton. Copied: a slice would keep the whole chunk
   * it was cut from alive, and with it the file. Whitespace is left out: the
   * whitespace between records grows with their number, and JSON ignores it.
   */
  const keepSkeleton = (piece: Buffer) => {
    if (piece.length > 0 && !piece.every(isSpace)) skeleton.push(Buffer.from(piece));
  };

  const fail = (reason: string): never => {
    throw new JsonSyntaxError(reason, line);
  };

  const finishElement = (parts: Buffer[], end: number): T =>
    finish(parts, elementLine, { start: elementStart, end });

  for await (const chunk of chunks) {
    /** Where the skeleton's and the element's current stretch of this chunk started. */
    let skeletonFrom = element === null ? 0 : -1;
    let elementFrom = element === null ? -1 : 0;
    const pending: T[] = [];
    /** The element ends before `end`; the skeleton goes on from `next` (the caller notes the array's state). */
    const endElement = (parts: Buffer[], end: number, next: number) => {
      parts.push(chunk.subarray(elementFrom, end));
      pending.push(finishElement(parts, consumed + end));
      element = null;
      scalar = false;
      skeletonFrom = next;
      elementFrom = -1;
    };
    const length = chunk.length;
    for (let i = 0; i < length; i++) {
      if (containerDepth > 0) {
        const inside: ContainerScan = { depth: containerDepth, inString, escaped, lines: 0 };
        i = skipContainer(chunk, i, inside);
        ({ depth: containerDepth, inString, escaped } = inside);
        line += inside.lines;
        if (i === length) break;
        // The bracket that closed it ends the element.
        endElement(element ?? [], i + 1, i + 1);
        arrayState = 'after-element';
        continue;
      }
      if (inString) {
        // Most of a document is strings: run to the quote that ends this one in a tight
        // loop (measured 2.7× faster than a Buffer.indexOf call per string, whose call
        // costs more than the few bytes of a key). A backslash escapes the byte after
        // it, in this chunk or the next.
        let at = i;
        if (escaped) {
          escaped = false;
          if (chunk[at] === NEWLINE) line++;
          at++;
        }
        let close = -1;
        for (; at < length; at++) {
          let byte = chunk[at] as number;
          if (byte === QUOTE) {
            close = at;
            break;
          }
          if (byte === BACKSLASH) byte = chunk[++at] as number;
          // A raw newline has no place in a JSON string, but counting it keeps later lines right.
          if (byte === NEWLINE) line++;
        }
        if (close === -1 && at > length) escaped = true;
        if (close === -1) break;
        i = close;
        inString = false;
        if (key !== null) {
          key.push(chunk.subarray(keyStart, i + 1));
          lastKey = JSON.parse(Buffer.concat(key).toString('utf8')) as string;
          key = null;
          expectKey = false;
        }
        // A string element ends with its quote.
        if (element !== null && stack.length === recordDepth) {
          endElement(element, i + 1, i + 1);
          arrayState = 'after-element';
        }
        continue;
      }
      const byte = chunk[i] as number;
      if (byte === NEWLINE) line++;
      if (element !== null && scalar) {
        if (byte === COMMA || byte === CLOSE_ARRAY || byte === CLOSE_OBJECT || isSpace(byte)) {
          // The byte that ended it is a separator of the array: read it below.
          endElement(element, i, i);
          arrayState = 'after-element';
        } else continue;
      }
      if (element === null && recordDepth === stack.length && !isSpace(byte)) {
        // Between the elements of a record array.
        if (byte === COMMA) {
          if (arrayState !== 'after-element') fail('a record array holds an empty element');
          arrayState = 'after-comma';
          // Kept out of the skeleton, where the array stays `[]`.
          keepSkeleton(chunk.subarray(skeletonFrom, i));
          skeletonFrom = i + 1;
          continue;
        }
        if (byte === CLOSE_ARRAY) {
          if (arrayState === 'after-comma') fail('a record array ends with a comma');
          recordDepth = -1;
          // Falls through: the bracket closes the array in the skeleton too.
        } else {
          if (byte === CLOSE_OBJECT) fail("'}' closes an array");
          if (arrayState === 'after-element') fail('two records without a comma between them');
          // An element starts here.
          keepSkeleton(chunk.subarray(skeletonFrom, i));
          skeletonFrom = -1;
          element = [];
          elementFrom = i;
          elementLine = line;
          elementStart = consumed + i;
          if (byte === QUOTE) inString = true;
          else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) containerDepth = 1;
          else scalar = true;
          continue;
        }
      }
      switch (byte) {
        case QUOTE:
          inString = true;
          if (element === null && stack.length === 1 && stack[0] === true && expectKey) {
            key = [];
            keyStart = i;
          }
          break;
        case COMMA:
          if (element === null && stack.length === 1 && stack[0] === true) {
            expectKey = true;
            lastKey = null;
          }
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY: {
          const opensRecords =
            element === null &&
            byte === OPEN_ARRAY &&
            (stack.length === 0 ||
              (stack.length === 1 &&
                stack[0] === true &&
                lastKey !== null &&
                isRecordKey(lastKey)));
          stack.push(byte === OPEN_OBJECT);
          if (element === null && stack.length === 1 && byte === OPEN_OBJECT) expectKey = true;
          if (opensRecords) {
            recordDepth = stack.length;
            arrayState = 'first';
          }
          break;
        }
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          if (stack.length === 0) fail(`unexpected '${String.fromCharCode(byte)}'`);
          const wasObject = stack.pop();
          if (wasObject !== (byte === CLOSE_OBJECT)) {
            fail(`'${String.fromCharCode(byte)}' closes ${wasObject ? 'an object' : 'an array'}`);
          }
          break;
        }
        default:
          break;
      }
    }
    if (element !== null) element.push(chunk.subarray(elementFrom));
    else keepSkeleton(chunk.subarray(skeletonFrom));
    if (key !== null && inString) key.push(chunk.subarray(keyStart));
    keyStart = 0;
    consumed += length;
    yield* pending;
  }
  // A number cut short still parses: a record is only taken once something follows it.
  if (element !== null) fail('the document ends inside a record');
  if (inString) fail('the document ends inside a string');
  if (stack.length > 0) fail('the document ends before it is closed');
  try {
    JSON.parse(Buffer.concat(skeleton).toString('utf8'));
  } catch (error) {
    throw new JsonSyntaxError((error as Error).message);
  }
}
