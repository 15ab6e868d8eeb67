/**
 * The Resource Graph queries of this library, written in the KQL subset the
 * sweep needs: `<table> | where <path> in~ (…) | order by <path> asc|desc`
 * and `| where <path> =~ '…'`. Table and column names are those of
 * https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources.
 */

/**
 * A KQL string literal: single-quoted, a backslash or single quote inside
 * escaped with a backslash
 * (https://learn.microsoft.com/kusto/query/scalar-data-types/string#string-literals).
 */
export function kqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function inList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('an `in~` list needs at least one value');
  return `(${values.map(kqlString).join(', ')})`;
}

/**
 * The rows of the given ARM types from the `resources` table, in id order
 * (a stable order, so pages resumed by $skipToken neither repeat nor skip).
 * Resource Graph writes types in lower case; `in~` compares without case.
 * https://learn.microsoft.com/kusto/query/in-operator
 */
export function resourcesQuery(types: readonly string[]): string {
  return `resources | where type in~ ${inList(types.map((t) => t.toLowerCase()))} | order by id asc`;
}

/**
 * Role definitions: the `authorizationresources` table holds them, not
 * `resources` (https://learn.microsoft.com/azure/governance/resource-graph/samples/samples-by-table#authorizationresources).
 */
export const ROLE_DEFINITIONS_QUERY =
  "authorizationresources | where type =~ 'microsoft.authorization/roledefinitions' | order by id asc";

/**
 * The recorded changes of the given resources, newest first: one row per
 * change (Microsoft.Resources/changes), its target in
 * properties.targetResourceId, its time in properties.changeAttributes.timestamp
 * (https://learn.microsoft.com/azure/governance/resource-graph/changes/get-resource-changes).
 */
export function resourceChangesQuery(resourceIds: readonly string[]): string {
  return `resourcechanges | where properties.targetResourceId in~ ${inList(resourceIds)} | order by properties.changeAttributes.timestamp desc`;
}

/**
 * The subscriptions under the query's scope (a management group), from the
 * `resourcecontainers` table
 * (https://learn.microsoft.com/azure/governance/resource-graph/samples/samples-by-table#resourcecontainers).
 */
export const SUBSCRIPTIONS_QUERY =
  "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | order by id asc";
