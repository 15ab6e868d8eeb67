// Faults the stand-in injects, planned like the Azure stand-in's (../azure/faults.ts): a
// function of the call (service, method, and its index among that method's calls, retries
// included) that returns a fault or null. In-process tests pass the function; the admin
// API takes the declarative rules below. Codes are the canonical gRPC ones Google APIs
// answer with (https://cloud.google.com/apis/design/errors#handling_errors).

export type GcpFault =
  /** UNAVAILABLE (14): the service is down for a moment; clients retry where their config says so. */
  | { readonly kind: 'unavailable' }
  /** RESOURCE_EXHAUSTED (8) with a google.rpc.RetryInfo detail: quota exceeded. */
  | { readonly kind: 'resourceExhausted'; readonly retryDelayMs: number }
  /** DEADLINE_EXCEEDED (4) answered by the server, as a backend that ran out of time does. */
  | { readonly kind: 'deadlineExceeded' }
  /** The answer comes, late (a client deadline shorter than this fails on the client side). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** The TCP connection is cut while the call is open: no status, no trailers. */
  | { readonly kind: 'drop' };

export const gcpFaults = {
  unavailable: (): GcpFault => ({ kind: 'unavailable' }),
  resourceExhausted: (retryDelayMs = 1000): GcpFault => ({
    kind: 'resourceExhausted',
    retryDelayMs,
  }),
  deadlineExceeded: (): GcpFault => ({ kind: 'deadlineExceeded' }),
  delay: (ms: number): GcpFault => ({ kind: 'delay', ms }),
  drop: (): GcpFault => ({ kind: 'drop' }),
};

export interface GcpCallInfo {
  /** The full service name, e.g. google.cloud.asset.v1.AssetService. */
  readonly service: string;
  /** The method, e.g. ListAssets, CreateFinding. */
  readonly method: string;
  /** Calls of this method before this one (from 0). */
  readonly index: number;
}

export type GcpFaultPlan = (call: GcpCallInfo) => GcpFault | null;

export const noGcpFaults: GcpFaultPlan = () => null;

/**
 * A declarative rule, as PUT /_standin/faults takes a JSON array of them:
 * `{match: {service?, method?}, fault, from?, count?, ms?, retryDelayMs?}` — the `from`-th
 * (0-based) to `from + count - 1`-th calls the rule matches get the fault. `service` matches
 * the full name or its last part (`AssetService`, `SecurityCenter`).
 */
export interface GcpFaultRule {
  readonly match?: { readonly service?: string; readonly method?: string };
  readonly fault: GcpFault['kind'];
  readonly from?: number;
  readonly count?: number;
  readonly ms?: number;
  readonly retryDelayMs?: number;
}

export class GcpFaultRuleError extends Error {
  override readonly name = 'GcpFaultRuleError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function faultOf(rule: GcpFaultRule, i: number): GcpFault {
  switch (rule.fault) {
    case 'unavailable':
      return gcpFaults.unavailable();
    case 'resourceExhausted':
      return gcpFaults.resourceExhausted(rule.retryDelayMs ?? 1000);
    case 'deadlineExceeded':
      return gcpFaults.deadlineExceeded();
    case 'delay':
      if (typeof rule.ms !== 'number' || rule.ms < 0)
        throw new GcpFaultRuleError(`rule ${i}: delay needs ms`);
      return gcpFaults.delay(rule.ms);
    case 'drop':
      return gcpFaults.drop();
    default:
      throw new GcpFaultRuleError(
        `rule ${i}: fault must be unavailable, resourceExhausted, deadlineExceeded, delay or drop, not ${JSON.stringify(rule.fault)}`,
      );
  }
}

const serviceMatches = (wanted: string, service: string): boolean =>
  wanted === service || service.endsWith(`.${wanted}`);

/** A plan from declarative rules; throws GcpFaultRuleError on a malformed one. The first matching rule wins. */
export function gcpFaultPlanFromRules(rules: unknown): GcpFaultPlan {
  if (!Array.isArray(rules))
    throw new GcpFaultRuleError('the fault plan must be a JSON array of rules');
  const compiled = rules.map((raw, i) => {
    if (!isRecord(raw)) throw new GcpFaultRuleError(`rule ${i} is not an object`);
    const rule = raw as unknown as GcpFaultRule;
    return {
      rule,
      fault: faultOf(rule, i),
      from: rule.from ?? 0,
      count: rule.count ?? Number.POSITIVE_INFINITY,
      seen: 0,
    };
  });
  return (call) => {
    for (const entry of compiled) {
      const { match } = entry.rule;
      if (match?.service !== undefined && !serviceMatches(match.service, call.service)) continue;
      if (match?.method !== undefined && match.method !== call.method) continue;
      const nth = entry.seen;
      entry.seen += 1;
      if (nth >= entry.from && nth < entry.from + entry.count) return entry.fault;
    }
    return null;
  };
}
