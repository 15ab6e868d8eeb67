// Faults the stand-in injects, planned like the AWS fault proxy's
// (../fault-proxy.ts): a function of the request and its index (per
// operation, retries included) that returns a fault or null. In-process tests
// pass the function; the admin API takes the declarative rules below.

export type AzureFault =
  /** 429 with Retry-After, as ARM throttles: https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling */
  | { readonly kind: 'throttle'; readonly retryAfterSeconds: number }
  | { readonly kind: 'serverError'; readonly status: 500 | 503 }
  /** The connection closes before any answer. */
  | { readonly kind: 'drop' }
  /** The answer comes, late. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** A body that is not JSON, under a JSON content type. */
  | { readonly kind: 'garbage'; readonly status: number; readonly body: string };

export const azureFaults = {
  throttle: (retryAfterSeconds = 1): AzureFault => ({ kind: 'throttle', retryAfterSeconds }),
  serverError: (status: 500 | 503 = 503): AzureFault => ({ kind: 'serverError', status }),
  drop: (): AzureFault => ({ kind: 'drop' }),
  delay: (ms: number): AzureFault => ({ kind: 'delay', ms }),
  garbage: (body = '<html><body>502 Bad Gateway</body></html>', status = 200): AzureFault => ({
    kind: 'garbage',
    status,
    body,
  }),
};

export interface AzureRequestInfo {
  /** The contract's operationId (e.g. 'Resources', 'Assessments_CreateOrUpdate'), or
   * 'ManagedIdentityToken', 'ResourceGet', 'ResourceList'. */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  /** Requests of this operation before this one (from 0). */
  readonly index: number;
}

export type AzureFaultPlan = (request: AzureRequestInfo) => AzureFault | null;

export const noAzureFaults: AzureFaultPlan = () => null;

/**
 * A declarative rule, as PUT /_standin/faults takes a JSON array of them:
 * `{match: {path?, method?, operation?}, fault, from?, count?, …}` — the
 * `from`-th (0-based) to `from + count - 1`-th requests the rule matches get
 * the fault. `path` matches a case-insensitive substring of the request path.
 */
export interface FaultRule {
  readonly match?: {
    readonly path?: string;
    readonly method?: string;
    readonly operation?: string;
  };
  readonly fault: AzureFault['kind'];
  readonly from?: number;
  readonly count?: number;
  readonly status?: number;
  readonly ms?: number;
  readonly body?: string;
  readonly retryAfterSeconds?: number;
}

export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function faultOf(rule: FaultRule, i: number): AzureFault {
  switch (rule.fault) {
    case 'throttle':
      return azureFaults.throttle(rule.retryAfterSeconds ?? 1);
    case 'serverError':
      if (rule.status !== undefined && rule.status !== 500 && rule.status !== 503) {
        throw new FaultRuleError(`rule ${i}: serverError status must be 500 or 503`);
      }
      return azureFaults.serverError((rule.status as 500 | 503 | undefined) ?? 503);
    case 'drop':
      return azureFaults.drop();
    case 'delay':
      if (typeof rule.ms !== 'number' || rule.ms < 0)
        throw new FaultRuleError(`rule ${i}: delay needs ms`);
      return azureFaults.delay(rule.ms);
    case 'garbage':
      return azureFaults.garbage(rule.body, rule.status);
    default:
      throw new FaultRuleError(
        `rule ${i}: fault must be throttle, serverError, drop, delay or garbage, not ${JSON.stringify(rule.fault)}`,
      );
  }
}

/** A plan from declarative rules; throws FaultRuleError on a malformed one. The first matching rule wins. */
export function faultPlanFromRules(rules: unknown): AzureFaultPlan {
  if (!Array.isArray(rules))
    throw new FaultRuleError('the fault plan must be a JSON array of rules');
  const compiled = rules.map((raw, i) => {
    if (!isRecord(raw)) throw new FaultRuleError(`rule ${i} is not an object`);
    const rule = raw as unknown as FaultRule;
    const fault = faultOf(rule, i);
    const from = rule.from ?? 0;
    const count = rule.count ?? Number.POSITIVE_INFINITY;
    return { rule, fault, from, count, seen: 0 };
  });
  return (request) => {
    for (const entry of compiled) {
      const { match } = entry.rule;
      if (
        match?.method !== undefined &&
        match.method.toUpperCase() !== request.method.toUpperCase()
      )
        continue;
      if (match?.operation !== undefined && match.operation !== request.operation) continue;
      if (
        match?.path !== undefined &&
        !request.path.toLowerCase().includes(match.path.toLowerCase())
      )
        continue;
      const nth = entry.seen;
      entry.seen += 1;
      if (nth >= entry.from && nth < entry.from + entry.count) return entry.fault;
    }
    return null;
  };
}
