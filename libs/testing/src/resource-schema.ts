import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
// The checked-in JSON Schema, the contract other tools (Rego type checks, users) read.
const schema = require('@drift-detective/resource-model/resource.schema.json') as object;

// ajv-formats is CommonJS whose module.exports is the plugin function.
const addFormats = (ajvFormats as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Problems of `value` against resource.schema.json; empty when it conforms. */
export function resourceSchemaErrors(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) =>
    `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim(),
  );
}

/** Throws with every problem when `value` does not conform to resource.schema.json. */
export function assertValidResource(value: unknown, label = 'resource'): void {
  const errors = resourceSchemaErrors(value);
  if (errors.length > 0) {
    throw new Error(
      `${label} does not match resource.schema.json:\n  ${errors.slice(0, 20).join('\n  ')}`,
    );
  }
}
