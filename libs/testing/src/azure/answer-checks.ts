// Which contract judges each answer the stand-in gives, and what it finds wrong.
import { COMMON_TYPES, type Route } from './router.js';
import { TOKEN_ANSWER_SCHEMA, TOKEN_ERROR_SCHEMA } from './managed-identity.js';
import type { StandInState } from './state.js';

/** How the stand-in's answer departs from the contract that governs it. */
export function answerProblems(
  state: StandInState,
  route: Route,
  status: number,
  raw: string,
): string[] {
  const contracts = state.contracts;
  switch (route.kind) {
    case 'contract':
      return contracts.validateResponse(route.match.operation, status, raw);
    case 'token': {
      const schema = status === 200 ? TOKEN_ANSWER_SCHEMA : TOKEN_ERROR_SCHEMA;
      return withJson(raw, (v) =>
        contracts.validateSchema(`managed-identity-${status === 200}`, schema, v),
      );
    }
    case 'arm-get':
    case 'unknown': {
      if (status >= 400) {
        return withJson(raw, (v) => contracts.validateDefinition(COMMON_TYPES, 'ErrorResponse', v));
      }
      const resource = {
        allOf: [contracts.definitionSchema(COMMON_TYPES, 'Resource', { open: true })],
        required: ['id', 'name', 'type'],
      };
      const schema =
        route.operation === 'ResourceList'
          ? {
              type: 'object',
              required: ['value'],
              properties: {
                value: { type: 'array', items: resource },
                nextLink: { type: 'string' },
              },
              additionalProperties: false,
            }
          : resource;
      return withJson(raw, (v) => contracts.validateSchema(`arm-${route.operation}`, schema, v));
    }
  }
}

function withJson(raw: string, check: (value: unknown) => string[]): string[] {
  try {
    return check(JSON.parse(raw));
  } catch (error) {
    return [`answer body is not JSON: ${(error as Error).message}`];
  }
}
