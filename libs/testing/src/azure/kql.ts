// The slice of Kusto Query Language the stand-in serves, and nothing more:
//   <table> ( | where <cond> (and <cond>)* )* ( | order by <path> (asc|desc)? )? ( | take N )?
//   <cond> := <path> in~ ('a', …) | <path> =~ 'x' | <path> == 'x'
// Operator meanings follow the KQL reference: `==` is case-sensitive, `=~` and
// `in~` are not (https://learn.microsoft.com/kusto/query/datatypes-string-operators);
// `order by` sorts descending unless told, nulls first when ascending and last
// when descending (https://learn.microsoft.com/kusto/query/order-operator);
// `limit` is a synonym of `take` (https://learn.microsoft.com/kusto/query/take-operator).
// Anything else is refused, so a query the real service would read differently
// never gets a plausible-looking answer.

export interface Condition {
  readonly path: readonly string[];
  readonly operator: 'in~' | '=~' | '==';
  readonly values: readonly string[];
}

export interface KqlQuery {
  /** Lower-case: Resource Graph table names are not case-sensitive (examples use `Resources`). */
  readonly table: string;
  readonly where: readonly Condition[];
  readonly orderBy?: { readonly path: readonly string[]; readonly descending: boolean };
  readonly take?: number;
}

export class KqlError extends Error {
  override readonly name = 'KqlError';
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'symbol'; text: string };

const SYMBOLS = ['in~', '=~', '==', '|', '(', ')', ',', '.'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'" || c === '"') {
      let value = '';
      i += 1;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      if (i >= text.length) throw new KqlError('unterminated string literal');
      tokens.push({ kind: 'string', text: value });
      i += 1;
    } else if (/[0-9]/.test(c)) {
      const number = /^[0-9]+/.exec(text.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'number', text: number });
      i += number.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0] ?? c;
      // `in~` is one operator, though it starts like a word.
      if (word === 'in' && text[i + 2] === '~') {
        tokens.push({ kind: 'symbol', text: 'in~' });
        i += 3;
      } else {
        tokens.push({ kind: 'word', text: word });
        i += word.length;
      }
    } else {
      const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
      if (symbol === undefined) throw new KqlError(`unexpected character '${c}' at ${i}`);
      tokens.push({ kind: 'symbol', text: symbol });
      i += symbol.length;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  get done(): boolean {
    return this.position >= this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  next(what: string): Token {
    const token = this.tokens[this.position];
    if (token === undefined) throw new KqlError(`expected ${what} at the end of the query`);
    this.position += 1;
    return token;
  }

  expect(kind: Token['kind'], text?: string): Token {
    const token = this.next(text ?? kind);
    if (token.kind !== kind || (text !== undefined && token.text !== text)) {
      throw new KqlError(`expected ${text ?? kind}, found '${token.text}'`);
    }
    return token;
  }

  accept(kind: Token['kind'], text: string): boolean {
    const token = this.peek();
    if (token?.kind === kind && token.text === text) {
      this.position += 1;
      return true;
    }
    return false;
  }

  path(): string[] {
    const parts = [this.expect('word').text];
    while (this.accept('symbol', '.')) parts.push(this.expect('word').text);
    return parts;
  }

  condition(): Condition {
    const path = this.path();
    const operator = this.next('an operator');
    if (operator.kind === 'symbol' && operator.text === 'in~') {
      this.expect('symbol', '(');
      const values = [this.expect('string').text];
      while (this.accept('symbol', ',')) values.push(this.expect('string').text);
      this.expect('symbol', ')');
      return { path, operator: 'in~', values };
    }
    if (operator.kind === 'symbol' && (operator.text === '=~' || operator.text === '==')) {
      return { path, operator: operator.text, values: [this.expect('string').text] };
    }
    throw new KqlError(`operator '${operator.text}' is not served (only in~, =~ and ==)`);
  }
}

/** Parses the served subset; throws KqlError naming what it does not serve. */
export function parseQuery(text: string): KqlQuery {
  const parser = new Parser(tokenize(text));
  const table = parser.expect('word').text.toLowerCase();
  const where: Condition[] = [];
  let orderBy: KqlQuery['orderBy'];
  let take: number | undefined;
  while (!parser.done) {
    parser.expect('symbol', '|');
    const operator = parser.expect('word').text;
    if (operator === 'where') {
      if (orderBy !== undefined || take !== undefined) {
        throw new KqlError('where after order by or take is not served');
      }
      where.push(parser.condition());
      while (parser.accept('word', 'and')) where.push(parser.condition());
    } else if (operator === 'order') {
      if (orderBy !== undefined || take !== undefined)
        throw new KqlError('a second order by, or one after take, is not served');
      parser.expect('word', 'by');
      const path = parser.path();
      const ascending = parser.accept('word', 'asc');
      if (!ascending) parser.accept('word', 'desc');
      orderBy = { path, descending: !ascending };
    } else if (operator === 'take' || operator === 'limit') {
      if (take !== undefined) throw new KqlError('a second take is not served');
      take = Number(parser.expect('number').text);
    } else {
      throw new KqlError(`operator '${operator}' is not served`);
    }
    const after = parser.peek();
    if (after !== undefined && !(after.kind === 'symbol' && after.text === '|')) {
      throw new KqlError(`unexpected '${after.text}' after ${operator}`);
    }
  }
  return { table, where, ...(orderBy ? { orderBy } : {}), ...(take !== undefined ? { take } : {}) };
}

function valueAt(row: unknown, path: readonly string[]): unknown {
  let node = row;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A scalar as KQL compares it with a string literal; undefined for null, objects and arrays. */
function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function holds(row: unknown, condition: Condition): boolean {
  const text = scalarText(valueAt(row, condition.path));
  if (text === undefined) return false;
  if (condition.operator === '==') return text === condition.values[0];
  const lower = text.toLowerCase();
  return condition.values.some((v) => v.toLowerCase() === lower);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = scalarText(a) ?? JSON.stringify(a);
  const right = scalarText(b) ?? JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Runs a parsed query over rows of its table, in the rows' order unless it orders them. */
export function runQuery<T>(query: KqlQuery, rows: readonly T[]): T[] {
  let result = rows.filter((row) => query.where.every((c) => holds(row, c)));
  if (query.orderBy !== undefined) {
    const { path, descending } = query.orderBy;
    result = [...result].sort((x, y) => {
      const a = valueAt(x, path);
      const b = valueAt(y, path);
      const aNull = a === undefined || a === null;
      const bNull = b === undefined || b === null;
      if (aNull || bNull) {
        if (aNull && bNull) return 0;
        // Nulls first when ascending, last when descending.
        return aNull === !descending ? -1 : 1;
      }
      return descending ? compare(b, a) : compare(a, b);
    });
  }
  return query.take === undefined ? result : result.slice(0, query.take);
}
