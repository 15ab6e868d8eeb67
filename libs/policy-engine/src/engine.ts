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
  /** Top-level resource fields no rule names (the manifest's): left out of the input. */
  private readonly unreadFields: ReadonlySet<string>;
  private readonly encoder = new TextEncoder();

  private constructor(
    private readonly policy: LoadedPolicy,
    readonly bundle: PolicyBundle,
  ) {
    this.rules = new Map(bundle.manifest.rules.map((rule) => [rule.id, rule]));
    this.judgedKinds = new Set(bundle.manifest.rules.flatMap((rule) => rule.kinds));
    this.unreadFields = new Set(bundle.manifest.unreadFields);
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

  /**
   * Runs one entrypoint and returns its single result value. `input` is a
   * value, or its JSON text: the SDK takes an ArrayBuffer as JSON as it is.
   */
  private evaluateEntrypoint(
    entrypoint: string,
    input: unknown,
    resourceId: string | undefined,
  ): unknown {
    let resultSet: unknown;
    try {
      const given = typeof input === 'string' ? this.encoder.encode(input).buffer : input;
      resultSet = this.policy.evaluate(given, entrypoint);
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
    return this.judgeOne(resource, this.inputJson(resource));
  }

  /** One call for one resource whose input view is `json`. */
  private judgeOne(resource: EvaluableResource, json: string): Violation[] {
    return this.violationsFrom(
      this.evaluateEntrypoint(ENTRYPOINTS.violations, `{"resource":${json}}`, resource.id),
      resource,
    );
  }

  /**
   * The same as `evaluate`, from every rule whatever the resource's kind
   * (drift.main), given the whole resource. Slower; it is the reference that
   * checks the kinds in the rules' METADATA leave no violation out, and that
   * the fields left out of the input are read by no rule.
   */
  evaluateEveryRule(resource: EvaluableResource): Violation[] {
    assertEvaluable(resource);
    return this.violationsFrom(
      this.evaluateEntrypoint(ENTRYPOINTS.everyRule, { resource }, resource.id),
      resource,
    );
  }

  /** Whether some rule may read the resource's top-level `field` (the manifest says). */
  readsField(field: string): boolean {
    return !this.unreadFields.has(field);
  }

  /**
   * The resource as the policy reads it: without the fields no rule names
   * (`native`, `tags`, …). The native configuration is most of a resource's
   * bytes, and the wasm policy parses every byte it is given.
   */
  private inputView(resource: EvaluableResource): Record<string, unknown> {
    const view: Record<string, unknown> = {};
    for (const field in resource) {
      if (!this.unreadFields.has(field)) view[field] = resource[field];
    }
    return view;
  }

  /** The input view as JSON; a value JSON cannot hold (a cycle, a BigInt) fails this resource only. */
  private inputJson(resource: EvaluableResource): string {
    try {
      return JSON.stringify(this.inputView(resource));
    } catch (error) {
      throw new InvalidInputError(`resource ${resource.id} is not JSON: ${describeThrown(error)}`);
    }
  }

  private violationsFrom(raw: unknown, resource: EvaluableResource): Violation[] {
    if (!Array.isArray(raw)) {
      throw new EvaluationError(resource.id, 'the policy did not return a set of violations');
    }
    return raw
      .map((item) => this.enrich(item as RawViolation, resource))
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message));
  }

  /**
   * Evaluates a batch, each resource as `evaluate` would, with many resources
   * per call into the module (see `batchesOf`). A failure for one resource
   * does not hide the others' results: a call that fails is made again one
   * resource at a time, so the error lands on the resource that caused it.
   */
  evaluateMany<R extends EvaluableResource>(resources: Iterable<R>): EvaluationOutcome<R>[] {
    const outcomes: EvaluationOutcome<R>[] = [];
    const judged: { resource: R; index: number; json: string }[] = [];
    for (const resource of resources) {
      const index = outcomes.length;
      try {
        assertEvaluable(resource);
        if (this.judgedKinds.has(resource.kind)) {
          judged.push({ resource, index, json: this.inputJson(resource) });
        }
      } catch (error) {
        if (!(error instanceof PolicyEngineError)) throw error;
        outcomes.push({ resource, ok: false, error });
        continue;
      }
      outcomes.push({ resource, ok: true, violations: [] });
    }
    for (const batch of batchesOf(judged)) {
      for (const [k, outcome] of this.evaluateBatch(
        batch.map((item) => item.resource),
        batch.map((item) => item.json),
      ).entries()) {
        outcomes[(batch[k] as (typeof batch)[number]).index] = outcome;
      }
    }
    return outcomes;
  }

  /** One call for `resources` (their inputs as JSON); one call each when it fails. */
  private evaluateBatch<R extends EvaluableResource>(
    resources: readonly R[],
    inputs: readonly string[],
  ): EvaluationOutcome<R>[] {
    if (resources.length > 1) {
      try {
        const raw = this.evaluateEntrypoint(
          ENTRYPOINTS.batch,
          `{"resources":[${inputs.join(',')}]}`,
          undefined,
        );
        if (Array.isArray(raw) && raw.length === resources.length) {
          return resources.map((resource, k) => ({
            resource,
            ok: true,
            violations: this.violationsFrom(raw[k], resource),
          }));
        }
      } catch (error) {
        if (!(error instanceof PolicyEngineError)) throw error;
      }
    }
    return resources.map((resource, k) => {
      try {
        return { resource, ok: true, violations: this.judgeOne(resource, inputs[k] as string) };
      } catch (error) {
        if (!(error instanceof PolicyEngineError)) throw error;
        return { resource, ok: false, error };
      }
    });
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

/** At most this many resources per call: a failed call is made again one by one. */
const BATCH_RESOURCES = 64;
/**
 * At most this many characters of JSON input per call (one resource alone may
 * exceed it; UTF-8 takes up to three bytes for one): the module's memory grows
 * to its largest input and never shrinks.
 */
const BATCH_CHARACTERS = 256 * 1024;

/** Consecutive groups of `items` within the limits of one call. */
function* batchesOf<T extends { readonly json: string }>(items: readonly T[]): Generator<T[]> {
  let batch: T[] = [];
  let characters = 0;
  for (const item of items) {
    if (
      batch.length > 0 &&
      (batch.length === BATCH_RESOURCES || characters + item.json.length > BATCH_CHARACTERS)
    ) {
      yield batch;
      batch = [];
      characters = 0;
    }
    batch.push(item);
    characters += item.json.length;
  }
  if (batch.length > 0) yield batch;
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
