import type { QueryRequest } from '@azure/arm-resourcegraph';
import { AzureAnswerError, callAzure } from '../arm/call-errors.js';
import type { AzureClients } from '../arm/clients.js';

/**
 * The most rows one Resource Graph answer holds ($top / `--first` can be at
 * most 1000): https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data#data-set-result-size
 */
export const MAX_PAGE_SIZE = 1000;

/** One answer of a query: its rows (objectArray) and the token of the next page, if any. */
export interface QueryPage {
  readonly rows: unknown[];
  readonly skipToken: string | null;
}

export interface PageRequest {
  readonly query: string;
  /** What the operation is called in errors: "Resource Graph query (resources)". */
  readonly operation: string;
  readonly scope:
    | { readonly subscriptions: readonly string[] }
    | { readonly managementGroups: readonly string[] };
  readonly top: number;
  readonly skipToken: string | null;
  /** Only for management group and tenant queries. */
  readonly allowPartialScopes?: boolean | undefined;
}

/**
 * One page of a Resource Graph query. Every page of a query is asked with the
 * same body but the skip token, as paging requires; rows come as objects
 * (resultFormat objectArray).
 * https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources#queryrequestoptions
 *
 * An answer marked resultTruncated without a skip token lost rows that no
 * page will bring: it is an error, not a short page — a sweep that took it
 * for complete would resolve the missing resources as deleted.
 * https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources#queryresponse
 */
export async function queryPage(
  clients: Pick<AzureClients, 'resourceGraph'>,
  request: PageRequest,
  signal?: AbortSignal,
): Promise<QueryPage> {
  const { operation } = request;
  const body: QueryRequest = {
    query: request.query,
    ...('subscriptions' in request.scope
      ? { subscriptions: [...request.scope.subscriptions] }
      : { managementGroups: [...request.scope.managementGroups] }),
    options: {
      resultFormat: 'objectArray',
      top: request.top,
      ...(request.skipToken === null ? {} : { skipToken: request.skipToken }),
      ...(request.allowPartialScopes === undefined
        ? {}
        : { allowPartialScopes: request.allowPartialScopes }),
    },
  };
  const answer = await callAzure(operation, () =>
    clients.resourceGraph.resources(body, signal ? { abortSignal: signal } : {}),
  );
  if (!Array.isArray(answer.data)) {
    throw new AzureAnswerError(
      operation,
      200,
      'rows that are no list (resultFormat objectArray was asked)',
    );
  }
  const skipToken =
    typeof answer.skipToken === 'string' && answer.skipToken !== '' ? answer.skipToken : null;
  if (skipToken === null && String(answer.resultTruncated).toLowerCase() === 'true') {
    throw new AzureAnswerError(
      operation,
      200,
      'a truncated result without a skip token: rows are missing',
    );
  }
  if (skipToken !== null && skipToken === request.skipToken) {
    throw new AzureAnswerError(operation, 200, 'its own skip token again: the query would not end');
  }
  return { rows: answer.data as unknown[], skipToken };
}

/** Every row of a query, page after page. */
export async function allRows(
  clients: Pick<AzureClients, 'resourceGraph'>,
  request: Omit<PageRequest, 'skipToken'>,
  signal?: AbortSignal,
): Promise<unknown[]> {
  const rows: unknown[] = [];
  let skipToken: string | null = null;
  do {
    const page: QueryPage = await queryPage(clients, { ...request, skipToken }, signal);
    rows.push(...page.rows);
    skipToken = page.skipToken;
  } while (skipToken !== null);
  return rows;
}
