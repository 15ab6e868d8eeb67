// What a handler gives back, and the error body every ARM service shares:
// `{ error: { code, message, details? } }` (CloudError in the Security
// contracts, ErrorResponse in Resource Graph's; ARM's error contract:
// https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md#error-response-content).

export interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized as JSON; undefined for no body. */
  readonly body?: unknown;
}

export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
}

export function armError(
  status: number,
  code: string,
  message: string,
  details?: readonly ErrorDetail[],
  headers?: Record<string, string>,
): Answer {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { error: { code, message, ...(details ? { details } : {}) } },
  };
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

/** ARM's answer for a scope the caller may not read. */
export function authorizationFailed(action: string, scope: string, principalId: string): Answer {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${principalId}' with object id '${principalId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}
