import { NormalizeError } from '@drift-detective/resource-model';

/** Parses JSON text found inside a record; a text that does not parse makes the record unreadable. */
export function parseJsonText(text: string, what: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new NormalizeError(source, `${what} is not valid JSON (${text.length} characters)`);
  }
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Whether a string holds JSON text rather than a plain value. */
export function looksLikeJson(text: string): boolean {
  const first = text[0];
  return (
    first === '{' ||
    first === '[' ||
    first === '"' ||
    text === 'true' ||
    text === 'false' ||
    text === 'null' ||
    JSON_NUMBER.test(text)
  );
}

/**
 * Decodes a value that may be JSON text, as many times as it was encoded.
 * In API-shape items (GetResourceConfigHistory, BatchGetResourceConfig) every
 * supplementaryConfiguration value is JSON text, and AccessControlList is
 * encoded twice (a JSON string whose content is JSON text); notification-shape
 * items carry objects but keep AccessControlList as JSON text.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_BaseConfigurationItem.html
 * A string that is not JSON text (a plain value) is returned as it is.
 */
export function decodeJsonLayers(value: unknown, what: string, source: string): unknown {
  let current = value;
  for (let layer = 0; layer < 4 && typeof current === 'string'; layer++) {
    const text = current.trim();
    if (!looksLikeJson(text)) break;
    current = parseJsonText(text, what, source);
  }
  return current;
}
