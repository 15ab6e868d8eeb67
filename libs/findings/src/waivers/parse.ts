import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import { parseDay } from './expiry.js';
import { WaiverFileError, type Waiver, type WaiverProblem } from './waiver.js';

const ENTRY_KEYS = ['rule', 'resource', 'reason', 'owner', 'expires'];
const RESOURCE_KEYS = ['id', 'account', 'tags'];
const RULE_PATTERN = /^[A-Z0-9*?-]+$/i;

/** A mapping's entries by key, with the key node kept for line numbers. */
type Fields = Map<string, { readonly key: Node | null; readonly value: Node | null }>;

/** Where problems are collected while one file is checked, so all of them are reported at once. */
class Checker {
  readonly problems: WaiverProblem[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The 1-based line where a node starts, when the parser gave it a position. */
  lineOf(node: Node | null | undefined): number | null {
    const start = node?.range?.[0];
    return start === undefined ? null : this.lines.linePos(start).line;
  }

  report(node: Node | null | undefined, message: string): void {
    this.problems.push({ line: this.lineOf(node), message });
  }

  /** The node behind a value: an alias (*name) stands for the node it names. */
  node(value: unknown): Node | null {
    if (isAlias(value)) return value.resolve(this.doc) ?? null;
    return isNode(value) ? value : null;
  }

  /** A mapping's fields; unknown keys are problems, so a typo never passes as an absent field. */
  fields(map: Node, allowed: readonly string[], where: string): Fields {
    const fields: Fields = new Map();
    if (!isMap(map)) return fields;
    for (const pair of map.items) {
      const key = this.node(pair.key);
      const name = isScalar(key) ? String(key.value) : null;
      if (name === null || !allowed.includes(name)) {
        this.report(
          key ?? map,
          `${where}unknown key ${name === null ? '(not a plain name)' : `"${name}"`} (allowed: ${allowed.join(', ')})`,
        );
        continue;
      }
      fields.set(name, { key, value: this.node(pair.value) });
    }
    return fields;
  }
}

/** A parser error's first line, without the position the problem line already shows. */
function yamlProblem(error: YAMLError): WaiverProblem {
  const first = error.message.split('\n')[0] ?? error.message;
  // The library's own wording for this one points at its API, not at the file.
  const message =
    error.code === 'MULTIPLE_DOCS'
      ? 'the file must hold one YAML document (remove the extra ---)'
      : first.replace(/ at line \d+, column \d+:?$/, '');
  return { line: error.linePos?.[0].line ?? null, message: `invalid YAML: ${message}` };
}

/** A non-empty string field, or undefined after reporting why not. */
function text(
  c: Checker,
  fields: Fields,
  name: string,
  where: string,
  required: string,
): string | undefined {
  const field = fields.get(name);
  if (!field) return undefined;
  const value = isScalar(field.value) ? field.value.value : undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  c.report(field.value ?? field.key, `${where}${name} must be a non-empty string${required}`);
  return undefined;
}

/**
 * The account as text. YAML reads an unquoted 123456789012 as a number, and
 * people will write it unquoted; the digits are taken as written, because the
 * number would drop a leading zero (AWS account ids may start with 0).
 */
function account(c: Checker, fields: Fields, where: string): string | undefined {
  const field = fields.get('account');
  if (!field) return undefined;
  const node = field.value;
  if (isScalar(node) && typeof node.value === 'number' && /^\d+$/.test(node.source ?? '')) {
    return node.source;
  }
  return text(c, fields, 'account', where, ' (an AWS account, Azure subscription or GCP project)');
}

function tags(c: Checker, fields: Fields, where: string): Record<string, string> | undefined {
  const field = fields.get('tags');
  if (!field) return undefined;
  const map = field.value;
  if (!isMap(map) || map.items.length === 0) {
    c.report(
      map ?? field.key,
      `${where}resource.tags must be a mapping of at least one tag name to its value`,
    );
    return undefined;
  }
  const result: Record<string, string> = {};
  let ok = true;
  for (const pair of map.items) {
    const key = c.node(pair.key);
    const value = c.node(pair.value);
    const name = isScalar(key) ? key.value : undefined;
    if (typeof name !== 'string') {
      c.report(key ?? map, `${where}resource.tags: a tag name must be a string (quote it)`);
      ok = false;
    } else if (!isScalar(value) || typeof value.value !== 'string') {
      // Tag values are strings in every cloud; an unquoted 42 or true would never compare equal.
      c.report(value ?? key, `${where}resource.tags.${name} must be a string (quote it)`);
      ok = false;
    } else {
      result[name] = value.value;
    }
  }
  return ok ? result : undefined;
}

function resource(c: Checker, entry: Fields, where: string): Waiver['resource'] | undefined {
  const field = entry.get('resource');
  if (!field) return undefined;
  if (!isMap(field.value)) {
    const message = `${where}resource must be a mapping with at least one of id, account, tags`;
    c.report(field.value ?? field.key, message);
    return undefined;
  }
  const before = c.problems.length;
  const fields = c.fields(field.value, RESOURCE_KEYS, `${where}resource: `);
  if (fields.size === 0) {
    // A waiver without resource criteria would waive the rule everywhere.
    // Only when no unknown key already explained why nothing is left.
    if (c.problems.length === before) {
      c.report(field.value, `${where}resource needs at least one of id, account, tags`);
    }
    return undefined;
  }
  const id = text(c, fields, 'id', `${where}resource.`, ' (a glob on the resource id)');
  const acct = account(c, fields, `${where}resource.`);
  const tagMap = tags(c, fields, where);
  if (c.problems.length > before) return undefined;
  return {
    ...(id !== undefined && { id }),
    ...(acct !== undefined && { account: acct }),
    ...(tagMap !== undefined && { tags: tagMap }),
  };
}

/**
 * The expiry as YYYY-MM-DD. The core schema keeps 2027-01-31 a string, but a
 * `%YAML 1.1` file or a `!!timestamp` tag makes it a Date: the date is then
 * checked as written, so 2027-02-30 (which a Date rolls to March 2) and a time
 * of day are still refused.
 */
function expires(c: Checker, entry: Fields, where: string): string | undefined {
  const field = entry.get('expires');
  if (!field) return undefined;
  const node = field.value;
  let written: string | undefined;
  if (isScalar(node)) {
    if (typeof node.value === 'string') written = node.value;
    else if (node.value instanceof Date) written = node.source;
  }
  if (written === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(written)) {
    c.report(node ?? field.key, `${where}expires must be a date written YYYY-MM-DD`);
    return undefined;
  }
  if (parseDay(written) === null) {
    c.report(node, `${where}expires ${written} is not a calendar date`);
    return undefined;
  }
  return written;
}

function rule(c: Checker, entry: Fields, where: string): string | undefined {
  const value = text(c, entry, 'rule', where, ' (a rule id or glob)');
  if (value === undefined) return undefined;
  if (RULE_PATTERN.test(value)) return value;
  c.report(
    entry.get('rule')?.value,
    `${where}rule "${value}" must be a rule id or glob (letters, digits, -, * and ?)`,
  );
  return undefined;
}

const REQUIRED: Record<string, string> = {
  rule: 'rule is required (a rule id such as DD-STORAGE-001, or a glob such as DD-NET-*)',
  resource: 'resource is required (with at least one of id, account, tags)',
  reason: 'reason is required',
  owner: 'owner is required',
  expires: 'expires is required (YYYY-MM-DD)',
};

function waiver(c: Checker, node: Node | null, index: number): Waiver | undefined {
  const where = `waiver ${index + 1}: `;
  if (!isMap(node)) {
    c.report(node, `${where}must be a mapping with ${ENTRY_KEYS.join(', ')}`);
    return undefined;
  }
  const before = c.problems.length;
  const entry = c.fields(node, ENTRY_KEYS, where);
  for (const name of ENTRY_KEYS) {
    if (!entry.has(name)) c.report(node, `${where}${REQUIRED[name]}`);
  }
  const parsed = {
    rule: rule(c, entry, where),
    resource: resource(c, entry, where),
    reason: text(c, entry, 'reason', where, ''),
    owner: text(c, entry, 'owner', where, ''),
    expires: expires(c, entry, where),
  };
  if (c.problems.length > before) return undefined;
  const { rule: r, resource: res, reason, owner, expires: exp } = parsed;
  if (!r || !res || !reason || !owner || !exp) return undefined;
  return { rule: r, resource: res, reason, owner, expires: exp, line: c.lineOf(node) };
}

/**
 * Reads the waiver file format (see policies/waivers.yaml) and checks its
 * schema. Every problem of the file is collected and thrown together as one
 * WaiverFileError, each as `file:line: waiver N: field …`.
 */
export function parseWaivers(text: string, file: string): Waiver[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  // A file that is not valid YAML has no trustworthy structure to check further.
  if (doc.errors.length > 0) throw new WaiverFileError(file, doc.errors.map(yamlProblem));

  const c = new Checker(doc, lines);
  const root = c.node(doc.contents);
  const waivers: Waiver[] = [];
  if (!isMap(root)) {
    c.report(root, 'expected a mapping with a waivers list (waivers: [] for none)');
  } else {
    const list = c.fields(root, ['waivers'], '').get('waivers');
    if (!list) {
      c.report(root, 'waivers is required (waivers: [] for none)');
    } else if (!isSeq(list.value)) {
      c.report(list.value ?? list.key, 'waivers must be a list (waivers: [] for none)');
    } else {
      list.value.items.forEach((item, i) => {
        const parsed = waiver(c, c.node(item), i);
        if (parsed) waivers.push(parsed);
      });
    }
  }
  if (c.problems.length > 0) {
    // By line, so the message reads top to bottom like the file; the sort is stable.
    const sorted = [...c.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new WaiverFileError(file, sorted);
  }
  return waivers;
}
