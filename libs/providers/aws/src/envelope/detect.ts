import { shapeOf } from './shapes.js';

/**
 * Whether a parsed JSON document (or NDJSON line) is AWS input: one of the
 * shapes in shapes.ts, or a non-empty array whose first element is one.
 */
export function detectAws(document: unknown): boolean {
  if (Array.isArray(document)) return document.length > 0 && shapeOf(document[0]) !== null;
  return shapeOf(document) !== null;
}
