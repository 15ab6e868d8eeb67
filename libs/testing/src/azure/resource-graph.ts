// POST /providers/Microsoft.ResourceGraph/resources (resourcegraph.json
// 2024-04-01): scopes, the served KQL subset, paging with $top/$skip/$skipToken
// and both result formats
// (https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources,
// paging: https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data#paging-results).
import { createHash } from 'node:crypto';
import { armError, authorizationFailed, json, type Answer } from './answers.js';
import { rowSubscription, type GraphTable, type Inventory } from './inventory.js';
import { KqlError, parseQuery, runQuery } from './kql.js';
import type { Row } from './seed.js';

export interface QueryRequest {
  readonly subscriptions?: readonly string[];
  readonly managementGroups?: readonly string[];
  readonly query: string;
  readonly options?: {
    readonly $top?: number;
    readonly $skip?: number;
    readonly $skipToken?: string;
    readonly resultFormat?: 'table' | 'objectArray';
    readonly allowPartialScopes?: boolean;
  };
  readonly facets?: readonly unknown[];
}

export interface GraphScopes {
  /** Management group name → its subscriptions. */
  readonly managementGroups: Readonly<Record<string, readonly string[]>>;
  /** Subscriptions the identity may not read (lower-case). */
  readonly unreadable: ReadonlySet<string>;
}

const TABLES: readonly GraphTable[] = [
  'resources',
  'authorizationresources',
  'resourcechanges',
  'resourcecontainers',
];
const PAGE_DEFAULT = 1000;
const READ_ACTION = 'Microsoft.ResourceGraph/resources/read';

/** Resource Graph's answer to a query it cannot run. */
function invalidQuery(message: string): Answer {
  return armError(
    400,
    'BadRequest',
    'Please provide below info when asking for support: the query is invalid.',
    [{ code: 'InvalidQuery', message: `Query is invalid. ${message}` }],
  );
}

type Scope = { readonly subscriptions: ReadonlySet<string> } | Answer;

function resolveScope(
  request: QueryRequest,
  scopes: GraphScopes,
  inventory: Inventory,
  principal: string,
): Scope {
  const named = request.subscriptions ?? [];
  const groups = request.managementGroups ?? [];
  const unreadableNamed = named.filter((s) => scopes.unreadable.has(s.toLowerCase()));
  if (unreadableNamed.length > 0) {
    return authorizationFailed(READ_ACTION, `/subscriptions/${unreadableNamed[0]}`, principal);
  }
  const chosen = new Set(named.map((s) => s.toLowerCase()));
  for (const group of groups) {
    const members = Object.entries(scopes.managementGroups).find(
      ([name]) => name.toLowerCase() === group.toLowerCase(),
    )?.[1];
    const scope = `/providers/Microsoft.Management/managementGroups/${group}`;
    if (members === undefined) return authorizationFailed(READ_ACTION, scope, principal);
    for (const member of members) {
      if (!scopes.unreadable.has(member.toLowerCase())) chosen.add(member.toLowerCase());
      else if (request.options?.allowPartialScopes !== true) {
        return authorizationFailed(READ_ACTION, `/subscriptions/${member}`, principal);
      }
    }
  }
  if (named.length === 0 && groups.length === 0) {
    for (const sub of inventory.subscriptions()) {
      if (!scopes.unreadable.has(sub.toLowerCase())) chosen.add(sub.toLowerCase());
    }
  }
  return { subscriptions: chosen };
}

/** Opaque to callers; ties a page offset to the query and scopes it continues. */
function fingerprint(request: QueryRequest): string {
  const scope = JSON.stringify([
    request.query,
    request.subscriptions ?? [],
    request.managementGroups ?? [],
  ]);
  return createHash('sha256').update(scope).digest('base64url').slice(0, 16);
}

const encodeToken = (request: QueryRequest, offset: number): string =>
  Buffer.from(JSON.stringify({ q: fingerprint(request), o: offset })).toString('base64url');

function decodeToken(request: QueryRequest, token: string): number | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      q?: unknown;
      o?: unknown;
    };
    return decoded.q === fingerprint(request) && typeof decoded.o === 'number'
      ? decoded.o
      : undefined;
  } catch {
    return undefined;
  }
}

function columnType(values: readonly unknown[]): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.length > 0 && present.every((v) => Number.isInteger(v))) return 'integer';
  if (present.length > 0 && present.every((v) => typeof v === 'number')) return 'number';
  if (present.some((v) => typeof v === 'object')) return 'object';
  return 'string';
}

/** resultFormat `table`: one column per field, in first-seen order. */
function asTable(rows: readonly Row[]): {
  columns: { name: string; type: string }[];
  rows: unknown[][];
} {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return {
    columns: names.map((name) => ({ name, type: columnType(rows.map((row) => row[name])) })),
    rows: rows.map((row) => names.map((name) => row[name] ?? null)),
  };
}

export function answerQuery(
  request: QueryRequest,
  inventory: Inventory,
  scopes: GraphScopes,
  principal: string,
): Answer {
  if ((request.facets ?? []).length > 0) {
    return invalidQuery('Facets are not served by this stand-in.');
  }
  const scope = resolveScope(request, scopes, inventory, principal);
  if ('status' in scope) return scope;
  let query;
  try {
    query = parseQuery(request.query);
  } catch (error) {
    if (error instanceof KqlError) return invalidQuery(error.message);
    throw error;
  }
  if (!TABLES.includes(query.table as GraphTable)) {
    return invalidQuery(`Table '${query.table}' is not served (only ${TABLES.join(', ')}).`);
  }
  const inScope = inventory.table(query.table as GraphTable).filter((row) => {
    const sub = rowSubscription(row);
    // Tenant-level rows (built-in role definitions) name no subscription; every scope sees them.
    return sub === undefined || scope.subscriptions.has(sub.toLowerCase());
  });
  const matched = runQuery(query, inScope);
  const options = request.options ?? {};
  let offset = 0;
  if (options.$skipToken !== undefined) {
    const decoded = decodeToken(request, options.$skipToken);
    if (decoded === undefined) {
      return armError(400, 'BadRequest', 'The $skipToken does not continue this query and scope.', [
        {
          code: 'InvalidSkipToken',
          message: 'Pass the $skipToken with the same query and scopes it came with.',
        },
      ]);
    }
    offset = decoded;
  }
  if (options.$skip !== undefined) offset = options.$skip;
  const top = options.$top ?? PAGE_DEFAULT;
  const page = matched.slice(offset, offset + top);
  const next = offset + top < matched.length ? encodeToken(request, offset + top) : undefined;
  return json(200, {
    totalRecords: matched.length,
    count: page.length,
    data: options.resultFormat === 'table' ? asTable(page) : page,
    facets: [],
    resultTruncated: 'false',
    ...(next !== undefined ? { $skipToken: next } : {}),
  });
}
