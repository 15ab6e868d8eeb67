// Faults the stand-in injects, planned like the Azure stand-in's (../azure/faults.ts): a
// function of the call (service, method, its index among that method's calls, retries
// included, and the request itself) that returns a fault or null. In-process tests pass the
// function; the admin API takes the declarative rules below. Codes are the canonical gRPC
// ones Google APIs answer with (https://cloud.google.com/apis/design/errors#handling_errors).

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
  | { readonly kind: 'drop' }
  /**
   * PERMISSION_DENIED (7) as IAM answers it: "Permission 'P' denied on resource 'R' (or it
   * may not exist)." with a google.rpc.ErrorInfo detail (reason IAM_PERMISSION_DENIED,
   * domain iam.googleapis.com, metadata {permission, resource}). P defaults to the method's
   * permission (permissionOf), R to the name the request carries.
   */
  | { readonly kind: 'permissionDenied'; readonly permission?: string }
  /** INVALID_ARGUMENT (3): the request is refused as malformed ("Request contains an invalid argument." by default). */
  | { readonly kind: 'invalidArgument'; readonly message?: string };

export const gcpFaults = {
  unavailable: (): GcpFault => ({ kind: 'unavailable' }),
  resourceExhausted: (retryDelayMs = 1000): GcpFault => ({
    kind: 'resourceExhausted',
    retryDelayMs,
  }),
  deadlineExceeded: (): GcpFault => ({ kind: 'deadlineExceeded' }),
  delay: (ms: number): GcpFault => ({ kind: 'delay', ms }),
  drop: (): GcpFault => ({ kind: 'drop' }),
  permissionDenied: (permission?: string): GcpFault =>
    permission === undefined
      ? { kind: 'permissionDenied' }
      : { kind: 'permissionDenied', permission },
  invalidArgument: (message?: string): GcpFault =>
    message === undefined ? { kind: 'invalidArgument' } : { kind: 'invalidArgument', message },
};

/**
 * The IAM permission each emulated method checks, as the API references list them
 * (e.g. https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources/create:
 * securitycenter.sources.update). ListAssets checks one per content type.
 */
export function permissionOf(
  method: string,
  request: Readonly<Record<string, unknown>> = {},
): string {
  switch (method) {
    case 'ListAssets': {
      const contentType = request['contentType'];
      if (contentType === 'IAM_POLICY') return 'cloudasset.assets.listIamPolicy';
      if (contentType === 'ORG_POLICY') return 'cloudasset.assets.listOrgPolicy';
      return 'cloudasset.assets.listResource';
    }
    case 'BatchGetAssetsHistory':
      return 'cloudasset.assets.exportResource';
    case 'CreateSource':
    case 'UpdateSource':
      return 'securitycenter.sources.update';
    case 'GetSource':
      return 'securitycenter.sources.get';
    case 'ListSources':
      return 'securitycenter.sources.list';
    case 'CreateFinding':
      return 'securitycenter.findings.create';
    case 'UpdateFinding':
      return 'securitycenter.findings.update';
    case 'ListFindings':
      return 'securitycenter.findings.list';
    case 'SetFindingState':
      return 'securitycenter.findings.setState';
    case 'SetMute':
      return 'securitycenter.findings.setMute';
    default:
      return `unknown.${method}`;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The names a request carries: its `name`, the `name` of each message field
 * (`finding.name`, `source.name`), then its `parent`: what `match.name` looks in, and the
 * resource a permissionDenied fault names (the first of them).
 */
export function requestNames(request: Readonly<Record<string, unknown>>): string[] {
  const names: string[] = [];
  if (typeof request['name'] === 'string') names.push(request['name']);
  for (const value of Object.values(request)) {
    if (isRecord(value) && typeof value['name'] === 'string') names.push(value['name']);
  }
  if (typeof request['parent'] === 'string') names.push(request['parent']);
  return names.filter((n) => n !== '');
}

export interface GcpCallInfo {
  /** The full service name, e.g. google.cloud.asset.v1.AssetService. */
  readonly service: string;
  /** The method, e.g. ListAssets, CreateFinding. */
  readonly method: string;
  /** Calls of this method before this one (from 0). */
  readonly index: number;
  /**
   * The request as the stand-in decoded it (lowerCamelCase fields, enums and 64-bit
   * integers as strings, only the fields sent: protos.ts LOADER_OPTIONS), e.g.
   * `request.finding.name` of an UpdateFinding, `request.pageToken` of a ListAssets.
   */
  readonly request: Readonly<Record<string, unknown>>;
}

export type GcpFaultPlan = (call: GcpCallInfo) => GcpFault | null;

export const noGcpFaults: GcpFaultPlan = () => null;

/**
 * A declarative rule, as PUT /_standin/faults takes a JSON array of them:
 * `{match: {service?, method?, name?}, fault, from?, count?, ms?, retryDelayMs?, permission?,
 * message?}` — the `from`-th (0-based) to `from + count - 1`-th calls the rule matches get the
 * fault. `service` matches the full name or its last part (`AssetService`, `SecurityCenter`);
 * `name` is a substring of one of the request's names (requestNames: `name`, `finding.name`…,
 * `parent`), e.g. a finding id. `ms` is a delay's, `retryDelayMs` a resourceExhausted's,
 * `permission` a permissionDenied's, `message` an invalidArgument's.
 */
export interface GcpFaultRule {
  readonly match?: {
    readonly service?: string;
    readonly method?: string;
    readonly name?: string;
  };
  readonly fault: GcpFault['kind'];
  readonly from?: number;
  readonly count?: number;
  readonly ms?: number;
  readonly retryDelayMs?: number;
  readonly permission?: string;
  readonly message?: string;
}

export class GcpFaultRuleError extends Error {
  override readonly name = 'GcpFaultRuleError';
}

const optionalString = (rule: GcpFaultRule, key: 'permission' | 'message', i: number) => {
  const value = rule[key];
  if (value !== undefined && typeof value !== 'string')
    throw new GcpFaultRuleError(`rule ${i}: ${key} must be a string`);
  return value;
};

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
    case 'permissionDenied':
      return gcpFaults.permissionDenied(optionalString(rule, 'permission', i));
    case 'invalidArgument':
      return gcpFaults.invalidArgument(optionalString(rule, 'message', i));
    default:
      throw new GcpFaultRuleError(
        `rule ${i}: fault must be unavailable, resourceExhausted, deadlineExceeded, delay, drop, permissionDenied or invalidArgument, not ${JSON.stringify(rule.fault)}`,
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
    if (rule.match !== undefined && !isRecord(rule.match))
      throw new GcpFaultRuleError(`rule ${i}: match must be an object`);
    for (const key of ['service', 'method', 'name'] as const) {
      const value = rule.match?.[key];
      if (value !== undefined && (typeof value !== 'string' || value === ''))
        throw new GcpFaultRuleError(`rule ${i}: match.${key} must be a non-empty string`);
    }
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
      const wanted = match?.name;
      if (wanted !== undefined && !requestNames(call.request).some((n) => n.includes(wanted)))
        continue;
      const nth = entry.seen;
      entry.seen += 1;
      if (nth >= entry.from && nth < entry.from + entry.count) return entry.fault;
    }
    return null;
  };
}
