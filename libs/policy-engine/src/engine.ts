import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { readBundleDir, type PolicyBundle } from './bundle.js';
import {
  BundleCorruptError,
  describeThrown,
  EntrypointMissingError,
  EvaluationError,
  InvalidInputError,
  PolicyEngineError,
  RuleMetadataMissingError,
} from './errors.js';
import { ENTRYPOINTS, type RuleMetadata } from './manifest.js';

/** The least the engine needs to know about a resource to evaluate it. */
export interface EvaluableResource {
  readonly provider: string;
  readonly kind: string;
  readonly id: string;
  readonly [key: string]: unknown;
}

/** One violation, as the policy returns it plus its rule's metadata. */
export interface Violation {
  readonly ruleId: string;
  readonly title: string;
  readonly description: string;
  readonly severity: RuleMetadata['severity'];
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly frameworks: RuleMetadata['frameworks'];
  /** The remediation for the resource's provider, or the rule's default. */
  readonly remediation: string;
}

/** The outcome for one resource of a batch: never an empty list in place of an error. */
export type EvaluationOutcome<R extends EvaluableResource = EvaluableResource> =
  | { readonly resource: R; readonly ok: true; readonly violations: readonly Violation[] }
  | { readonly resource: R; readonly ok: false; readonly error: PolicyEngineError };

interface RawViolation {
  readonly rule_id: unknown;
  readonly message: unknown;
  readonly details?: unknown;
}

/**
 * Evaluates normalized resources against one compiled policy bundle. Load it
 * once (`PolicyEngine.load`) and call `evaluate` per resource: the wasm
 * instance is reused, its heap reset by the SDK on every call.
 */
export class PolicyEngine {
  readonly rules: ReadonlyMap<string, RuleMetadata>;
  /** Every kind some rule's METADATA lists; the policy has nothing to say about others. */
  private readonly judgedKinds: ReadonlySet<string>;

  private constructor(
    private readonly policy: LoadedPolicy,
    readonly bundle: PolicyBundle,
  ) {
    this.rules = new Map(bundle.manifest.rules.map((rule) => [rule.id, rule]));
    this.judgedKinds = new Set(bundle.manifest.rules.flatMap((rule) => rule.kinds));
  }

  /** Loads a bundle folder (dist/policies) or an already-read bundle. */
  static async load(source: string | PolicyBundle): Promise<PolicyEngine> {
    const bundle = typeof source === 'string' ? await readBundleDir(source) : source;
    let policy: LoadedPolicy;
    try {
      policy = await loadPolicy(bundle.wasm);
    } catch (error) {
      throw new BundleCorruptError(
        bundle.location,
        `policy.wasm does not load (${describeThrown(error)})`,
        {
          cause: error,
        },
      );
    }
    const engine = new PolicyEngine(policy, bundle);
    engine.checkEntrypoints();
    engine.checkRuleIdsHaveMetadata();
    return engine;
  }

  private checkEntrypoints(): void {
    const available = Object.keys((this.policy.entrypoints ?? {}) as Record<string, number>);
    for (const entrypoint of Object.values(ENTRYPOINTS)) {
      if (!available.includes(entrypoint)) throw new EntrypointMissingError(entrypoint, available);
    }
  }

  /** Every id the bundle can return must have metadata, or findings would lack severity. */
  private checkRuleIdsHaveMetadata(): void {
    const ids = this.evaluateEntrypoint(ENTRYPOINTS.ruleIds, {}, undefined);
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
      throw new BundleCorruptError(
        this.bundle.location,
        `${ENTRYPOINTS.ruleIds} did not return a list of ids`,
      );
    }
    const missing = ids.filter((id) => !this.rules.has(id));
    if (missing.length > 0) throw new RuleMetadataMissingError(missing);
  }

  /** Runs one entrypoint and returns its single result value. */
  private evaluateEntrypoint(
    entrypoint: string,
    input: unknown,
    resourceId: string | undefined,
  ): unknown {
    let resultSet: unknown;
    try {
      resultSet = this.policy.evaluate(input, entrypoint);
    } catch (error) {
      throw new EvaluationError(resourceId, describeThrown(error), { cause: error });
    }
    // The SDK returns a result set: [{ result: <value> }] when defined, [] when undefined.
    if (!Array.isArray(resultSet)) {
      throw new EvaluationError(resourceId, `${entrypoint} returned a malformed result set`);
    }
    const first = resultSet[0] as { result?: unknown } | undefined;
    if (first === undefined || !('result' in first)) {
      // A set-valued entrypoint is always defined; undefined means the policy is broken.
      throw new EvaluationError(resourceId, `${entrypoint} is undefined for this input`);
    }
    return first.result;
  }

  /**
   * Returns every violation of `resource`, sorted by rule id then message,
   * from the rules whose METADATA lists its kind: a kind no rule lists is not
   * handed to the policy at all. Throws InvalidInputError for something that
   * is not a resource and EvaluationError when the policy fails: never an
   * empty list instead.
   */
  evaluate(resource: EvaluableResource): Violation[] {
    assertEvaluable(resource);
    if (!this.judgedKinds.has(resource.kind)) return [];
    return this.violationsFrom(ENTRYPOINTS.violations, resource);
  }

  /**
   * The same as `evaluate`, from every rule whatever the resource's kind
   * (drift.main). Slower; it is the reference that checks the kinds in the
   * rules' METADATA leave no violation out.
   */
  evaluateEveryRule(resource: EvaluableResource): Violation[] {
    assertEvaluable(resource);
    return this.violationsFrom(ENTRYPOINTS.everyRule, resource);
  }

  private violationsFrom(entrypoint: string, resource: EvaluableResource): Violation[] {
    const raw = this.evaluateEntrypoint(
      entrypoint,
      { resource: this.policyView(resource) },
      resource.id,
    );
    if (!Array.isArray(raw)) {
      throw new EvaluationError(resource.id, `${entrypoint} did not return a set`);
    }
    return raw
      .map((item) => this.enrich(item as RawViolation, resource))
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message));
  }

  /**
   * The resource as the policy reads it: without `native` when no rule of the
   * bundle reads it (its manifest says so). The native configuration is most
   * of a resource's bytes, and the wasm policy parses every byte it is given.
   */
  policyView<R extends EvaluableResource>(resource: R): R {
    if (this.bundle.manifest.readsNative || !('native' in resource)) return resource;
    const { native: _native, ...view } = resource;
    return view as R;
  }

  /** Evaluates a batch; a failure for one resource does not hide the others' results. */
  evaluateMany<R extends EvaluableResource>(resources: Iterable<R>): EvaluationOutcome<R>[] {
    const outcomes: EvaluationOutcome<R>[] = [];
    for (const resource of resources) {
      try {
        outcomes.push({ resource, ok: true, violations: this.evaluate(resource) });
      } catch (error) {
        if (!(error instanceof PolicyEngineError)) throw error;
        outcomes.push({ resource, ok: false, error });
      }
    }
    return outcomes;
  }

  private enrich(raw: RawViolation, resource: EvaluableResource): Violation {
    const ruleId = raw?.rule_id;
    if (typeof ruleId !== 'string' || typeof raw.message !== 'string') {
      throw new EvaluationError(
        resource.id,
        `a violation lacks rule_id or message: ${JSON.stringify(raw)}`,
      );
    }
    const rule = this.rules.get(ruleId);
    if (!rule) throw new RuleMetadataMissingError([ruleId]);
    const details =
      raw.details && typeof raw.details === 'object' && !Array.isArray(raw.details)
        ? (raw.details as Record<string, unknown>)
        : {};
    return {
      ruleId,
      title: rule.title,
      description: rule.description,
      severity: rule.severity,
      message: raw.message,
      details,
      frameworks: rule.frameworks,
      remediation: rule.remediation[resource.provider] ?? rule.remediation['default'] ?? '',
    };
  }
}

function assertEvaluable(resource: unknown): asserts resource is EvaluableResource {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    throw new InvalidInputError('expected a resource object');
  }
  const r = resource as Record<string, unknown>;
  for (const field of ['provider', 'kind', 'id'] as const) {
    if (typeof r[field] !== 'string' || r[field] === '') {
      throw new InvalidInputError(`field '${field}' must be a non-empty string`);
    }
  }
}
