import { NormalizeError, type PolicyStatement } from '@drift-detective/resource-model';
import { parseJsonText } from './json-text.js';
import { has, isRecord, own, setKey, type JsonObject } from './values.js';

/**
 * Decodes a policy document as Config carries it:
 * - URL-encoded JSON text: IAM returns policy documents "URL-encoded compliant
 *   with RFC 3986", and Config copies them as they come
 *   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html);
 * - plain JSON text (bucket, key and Lambda policies);
 * - an already decoded object, or an array of documents (the aws-config-rdk
 *   example items).
 * null stays null (no document). Anything else makes the record unreadable.
 */
export function decodePolicyDocument(value: unknown, what: string, source: string): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((entry) => decodePolicyDocument(entry, what, source));
  if (isRecord(value)) return value;
  if (typeof value !== 'string') {
    throw new NormalizeError(source, `${what} is neither a policy document nor its JSON text`);
  }
  const text = value.trim();
  const json = text.startsWith('{') || text.startsWith('[') ? text : urlDecoded(text, what, source);
  const document = parseJsonText(json, what, source);
  if (!isRecord(document) && !Array.isArray(document)) {
    throw new NormalizeError(source, `${what} is JSON but not a policy document`);
  }
  return document;
}

function urlDecoded(text: string, what: string, source: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new NormalizeError(source, `${what} is neither JSON nor valid URL-encoded text`);
  }
}

export interface StatementRules {
  /** Resource or NotResource must be present (every policy but a trust policy). */
  readonly resource: boolean;
  /** Principal or NotPrincipal must be present (resource-based and trust policies). */
  readonly principal: boolean;
}

/** Identity policies: no principal; a resource is required. */
export const IDENTITY_POLICY: StatementRules = { resource: true, principal: false };
/** Bucket, key and function policies: principal and resource required. */
export const RESOURCE_POLICY: StatementRules = { resource: true, principal: true };
/** Role trust policies: a principal, no resource. */
export const TRUST_POLICY: StatementRules = { resource: false, principal: true };

/**
 * The statements of a decoded document (or of each document of an array), in
 * document order. A document or statement that breaks the policy grammar
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
 * makes the record unreadable: dropping the statement could hide a grant.
 */
export function policyStatements(
  document: unknown,
  label: string,
  rules: StatementRules,
  source: string,
): PolicyStatement[] {
  if (Array.isArray(document)) {
    // The rdk examples wrap a document in a one-item list; an empty list holds no document.
    if (document.length === 0)
      throw new NormalizeError(source, `${label}: an empty list, not a policy document`);
    return document.flatMap((entry) => policyStatements(entry, label, rules, source));
  }
  if (!isRecord(document)) throw new NormalizeError(source, `${label}: not a policy document`);
  const statement = own(document, 'Statement');
  const list = Array.isArray(statement) ? statement : isRecord(statement) ? [statement] : null;
  if (list === null) throw new NormalizeError(source, `${label}: the document has no Statement`);
  return list.map((entry, index) =>
    readStatement(entry, `${label} Statement[${index}]`, rules, source, label),
  );
}

function readStatement(
  entry: unknown,
  where: string,
  rules: StatementRules,
  source: string,
  label: string,
): PolicyStatement {
  const fail = (problem: string): never => {
    throw new NormalizeError(source, `${where}: ${problem}`);
  };
  if (!isRecord(entry)) return fail('not an object');
  const effect = own(entry, 'Effect');
  if (effect !== 'Allow' && effect !== 'Deny') return fail('Effect is neither Allow nor Deny');
  if (has(entry, 'Action') === has(entry, 'NotAction')) {
    fail('needs exactly one of Action and NotAction');
  }
  if (rules.resource && !has(entry, 'Resource') && !has(entry, 'NotResource')) {
    fail('has neither Resource nor NotResource');
  }
  if (rules.principal && !has(entry, 'Principal') && !has(entry, 'NotPrincipal')) {
    fail('has neither Principal nor NotPrincipal');
  }
  const sid = own(entry, 'Sid');
  return {
    source: label,
    sid: typeof sid === 'string' ? sid : null,
    effect,
    actions: stringList(entry, 'Action', ACTION, fail),
    notActions: stringList(entry, 'NotAction', ACTION, fail),
    resources: stringList(entry, 'Resource', RESOURCE, fail),
    notResources: stringList(entry, 'NotResource', RESOURCE, fail),
    principals: principalList(entry, 'Principal', fail),
    notPrincipals: principalList(entry, 'NotPrincipal', fail),
    conditions: conditionMap(entry, fail),
  };
}

type Fail = (problem: string) => never;

/** "*" or service:action, wildcards allowed ("s3:Get*", "*:*"). */
const ACTION = /^(?:\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/;
/** "*" or an ARN (which may hold policy variables). */
const RESOURCE = /^(?:\*|arn:\S+)$/;
/** A principal id: "*", an ARN, an account id, a service or provider name, a canonical id. */
const PRINCIPAL = /^\S+$/;

function stringList(entry: JsonObject, key: string, pattern: RegExp, fail: Fail): string[] | null {
  if (!has(entry, key)) return null;
  const value = own(entry, key);
  const list = typeof value === 'string' ? [value] : value;
  // An empty list names nothing; the grammar wants at least one well-formed entry.
  if (!isTextList(list, pattern)) return fail(`${key} is neither a string nor a list of strings`);
  return [...list];
}

function isTextList(value: unknown, pattern: RegExp): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => typeof item === 'string' && pattern.test(item))
  );
}

/** The principal types of the policy grammar. */
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

/** `"*"` → [{type: "*", id: "*"}]; `{"AWS": ["a", "b"]}` → [{type: "AWS", id: "a"}, …]. */
function principalList(
  entry: JsonObject,
  key: string,
  fail: Fail,
): { type: string; id: string }[] | null {
  if (!has(entry, key)) return null;
  const value = own(entry, key);
  if (value === '*') return [{ type: '*', id: '*' }];
  if (!isRecord(value)) return fail(`${key} is neither "*" nor a map of principal types`);
  const principals: { type: string; id: string }[] = [];
  for (const [type, ids] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.has(type)) return fail(`${key} has an unknown principal type "${type}"`);
    const list = typeof ids === 'string' ? [ids] : ids;
    if (!isTextList(list, PRINCIPAL)) {
      return fail(`${key}.${type} is neither a string nor a list of strings`);
    }
    for (const id of list) principals.push({ type, id });
  }
  if (principals.length === 0) return fail(`${key} names no principal`);
  return principals;
}

/** Condition operator → key → values, values always lists of strings (booleans and numbers are written as text). */
function conditionMap(
  entry: JsonObject,
  fail: Fail,
): Record<string, Record<string, string[]>> | null {
  if (!has(entry, 'Condition')) return null;
  const condition = own(entry, 'Condition');
  if (!isRecord(condition)) return fail('Condition is not a map');
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(condition)) {
    if (!isRecord(keys)) return fail(`Condition.${operator} is not a map`);
    const byKey: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(keys)) {
      const list = Array.isArray(values) ? values : [values];
      const texts = list.map((value) =>
        typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number'
          ? String(value)
          : fail(`Condition.${operator}.${key} holds a value that is not text`),
      );
      setKey(byKey, key, texts);
    }
    setKey(out, operator, byKey);
  }
  return out;
}
