import { z } from 'zod';
import { Resource } from './resource.js';

/** The JSON Schema of Resource (draft 2020-12), generated from the zod model. */
export function resourceJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Resource, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    reused: 'ref',
  });
  return {
    ...schema,
    $id: 'https://drift-detective.dev/schemas/resource.schema.json',
    title: 'Drift Detective normalized resource',
  };
}

/** Validates a value against the model; returns the problems, empty when valid. */
export function validateResource(value: unknown): string[] {
  const result = Resource.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
}
