// What each emulated ARM operation answers, once the caller is authenticated and
// the request has passed its contract: Resource Graph, Defender for Cloud, ARM GET.
import { armError, authorizationFailed, json, type Answer } from './answers.js';
import { answerArmGet } from './arm-get.js';
import { canonicalId, subscriptionOf, typeFromId } from './arm-ids.js';
import { answerQuery, type QueryRequest } from './resource-graph.js';
import type { IncomingCall, Route, Served } from './router.js';
import type { StandInState } from './state.js';
import type { TokenClaims } from './tokens.js';

export function serveArmGet(state: StandInState, call: IncomingCall, claims: TokenClaims): Served {
  const path = call.url.pathname;
  if (call.url.searchParams.get('api-version') === null) {
    // ARM's answer to a request without api-version.
    return {
      answer: armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      ),
      requestProblems: ["query parameter 'api-version' is required"],
    };
  }
  const refused = unreadable(
    state,
    path,
    `${typeFromId(path) ?? 'Microsoft.Resources/resources'}/read`,
    claims,
  );
  return { answer: refused ?? answerArmGet(path, state.inventory), requestProblems: [] };
}

function unreadable(
  state: StandInState,
  idOrPath: string,
  action: string,
  claims: TokenClaims,
): Answer | undefined {
  const sub = subscriptionOf(canonicalId(idOrPath));
  if (sub === undefined || !state.scopes.unreadable.has(sub.toLowerCase())) return undefined;
  return authorizationFailed(action, canonicalId(idOrPath), claims.oid);
}

function parsed(body: string): unknown {
  return body.trim() === '' ? undefined : JSON.parse(body);
}

export function serveContract(
  state: StandInState,
  route: Extract<Route, { kind: 'contract' }>,
  call: IncomingCall,
  claims: TokenClaims,
): Answer {
  const p = route.match.pathParameters;
  const decoded = (name: string): string => decodeURIComponent(p[name] ?? '');
  const verb = call.method === 'GET' ? 'read' : call.method === 'DELETE' ? 'delete' : 'write';
  const defender = state.defender;
  switch (route.operation) {
    case 'Resources': {
      const quota = state.quota.take(claims.oid);
      if (!quota.allowed) {
        return armError(
          429,
          'RateLimiting',
          'Please provide below info when asking for support: the user quota is exhausted.',
          undefined,
          {
            ...quota.headers,
            'retry-after': String(quota.retryAfterSeconds),
          },
        );
      }
      const answer = answerQuery(
        parsed(call.body) as QueryRequest,
        state.inventory,
        state.scopes,
        claims.oid,
      );
      return { ...answer, headers: { ...answer.headers, ...quota.headers } };
    }
    case 'Operations_List':
      return json(200, {
        value: [
          {
            name: 'Microsoft.ResourceGraph/resources/read',
            display: {
              provider: 'Microsoft Resource Graph',
              resource: 'Resources',
              operation: 'Query resources',
              description:
                'Submits a query on resources within specified subscriptions, the specified management groups, or against all access granted in the tenant.',
            },
          },
        ],
      });
    case 'AssessmentsMetadata_List':
      // Microsoft's built-in assessment types are not held.
      return json(200, { value: [] });
    case 'AssessmentsMetadata_Get':
      return armError(
        404,
        'NotFound',
        `The built-in assessment metadata '${decoded('assessmentMetadataName')}' is not held by the stand-in.`,
      );
  }
  const scope =
    p['subscriptionId'] !== undefined
      ? `/subscriptions/${decoded('subscriptionId')}`
      : (p['resourceId'] ?? p['scope'] ?? '');
  const kind = route.operation.startsWith('AssessmentsMetadata')
    ? 'assessmentMetadata'
    : 'assessments';
  const refused = unreadable(state, scope, `Microsoft.Security/${kind}/${verb}`, claims);
  if (refused !== undefined) return refused;
  switch (route.operation) {
    case 'AssessmentsMetadata_ListBySubscription':
      return defender.listMetadata(decoded('subscriptionId'));
    case 'AssessmentsMetadata_GetInSubscription':
      return defender.getMetadata(decoded('subscriptionId'), decoded('assessmentMetadataName'));
    case 'AssessmentsMetadata_CreateInSubscription':
      return defender.putMetadata(
        decoded('subscriptionId'),
        decoded('assessmentMetadataName'),
        parsed(call.body),
      );
    case 'AssessmentsMetadata_DeleteInSubscription':
      return defender.deleteMetadata(decoded('subscriptionId'), decoded('assessmentMetadataName'));
    case 'Assessments_List':
      return defender.listAssessments(p['scope'] ?? '', state.scopes.managementGroups);
    case 'Assessments_Get':
      return defender.getAssessment(
        p['resourceId'] ?? '',
        decoded('assessmentName'),
        call.url.searchParams.get('$expand'),
      );
    case 'Assessments_CreateOrUpdate':
      return defender.putAssessment(
        p['resourceId'] ?? '',
        decoded('assessmentName'),
        parsed(call.body),
      );
    case 'Assessments_Delete':
      return defender.deleteAssessment(p['resourceId'] ?? '', decoded('assessmentName'));
    default:
      return armError(
        501,
        'NotImplemented',
        `${route.contract} is in the contracts but not served by the stand-in.`,
      );
  }
}
