/**
 * Every way the engine can fail has its own class, so that callers can tell a
 * policy that found nothing from a policy that could not run. None of these is
 * ever turned into an empty result.
 */
export type PolicyEngineErrorCode =
  | 'BUNDLE_NOT_FOUND'
  | 'BUNDLE_CORRUPT'
  | 'ENTRYPOINT_MISSING'
  | 'RULE_METADATA_MISSING'
  | 'INVALID_INPUT'
  | 'EVALUATION_FAILED';

export abstract class PolicyEngineError extends Error {
  abstract readonly code: PolicyEngineErrorCode;
}

const BUILD_HINT = 'Build it with `npx nx run policies:build` (or `make demo`).';

export class BundleNotFoundError extends PolicyEngineError {
  readonly code = 'BUNDLE_NOT_FOUND';
  override readonly name = 'BundleNotFoundError';
  constructor(
    readonly location: string,
    detail: string,
  ) {
    super(`Policy bundle not found at ${location}: ${detail}. ${BUILD_HINT}`);
  }
}

export class BundleCorruptError extends PolicyEngineError {
  readonly code = 'BUNDLE_CORRUPT';
  override readonly name = 'BundleCorruptError';
  constructor(
    readonly location: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`Policy bundle at ${location} is corrupt: ${detail}. Rebuild it: ${BUILD_HINT}`, options);
  }
}

export class EntrypointMissingError extends PolicyEngineError {
  readonly code = 'ENTRYPOINT_MISSING';
  override readonly name = 'EntrypointMissingError';
  constructor(
    readonly entrypoint: string,
    readonly available: readonly string[],
  ) {
    super(
      `Policy bundle has no entrypoint '${entrypoint}' (it has: ${available.join(', ') || 'none'}). ${BUILD_HINT}`,
    );
  }
}

export class RuleMetadataMissingError extends PolicyEngineError {
  readonly code = 'RULE_METADATA_MISSING';
  override readonly name = 'RuleMetadataMissingError';
  constructor(readonly ruleIds: readonly string[]) {
    super(
      `Policy bundle can return rule ids without metadata in manifest.json: ${ruleIds.join(', ')}. ` +
        `Every rule package needs a METADATA block with custom.id. ${BUILD_HINT}`,
    );
  }
}

export class InvalidInputError extends PolicyEngineError {
  readonly code = 'INVALID_INPUT';
  override readonly name = 'InvalidInputError';
  constructor(detail: string) {
    super(`Cannot evaluate resource: ${detail}`);
  }
}

export class EvaluationError extends PolicyEngineError {
  readonly code = 'EVALUATION_FAILED';
  override readonly name = 'EvaluationError';
  constructor(
    readonly resourceId: string | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`Policy evaluation failed for ${resourceId ?? 'a resource'}: ${detail}`, options);
  }
}

/** opa-wasm throws strings and plain objects as well as Errors; give them one shape. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (thrown && typeof thrown === 'object' && 'message' in thrown) return String(thrown.message);
  try {
    return JSON.stringify(thrown);
  } catch {
    return String(thrown);
  }
}
