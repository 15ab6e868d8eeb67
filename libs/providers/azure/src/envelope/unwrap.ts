import { NormalizeError, type NativeRecord } from '@drift-detective/resource-model';
import { isObject, type JsonObject } from '../decode/json.js';
import { isArmPage } from './arm-page.js';
import { isAttributed, isNotRead } from './attributed.js';
import { isForeign } from './foreign.js';
import { isResourceGraphAnswer, rowsOf } from './resource-graph.js';

/** How deep lists of pages of answers may nest before the document is unreadable. */
const MAX_DEPTH = 4;

function record(source: string, value: unknown): NativeRecord {
  return { provider: 'azure', source, value };
}

function isEnvelope(value: unknown): boolean {
  return Array.isArray(value) || isResourceGraphAnswer(value) || isArmPage(value);
}

function unwrapValue(value: unknown, source: string, depth: number): NativeRecord[] {
  if (depth > MAX_DEPTH) throw new NormalizeError(source, 'lists nested too deep');
  const items = Array.isArray(value)
    ? value
    : isResourceGraphAnswer(value)
      ? rowsOf(value as JsonObject, source)
      : isArmPage(value)
        ? value.value
        : null;
  if (items === null) {
    // This library's envelopes are one record each; readArmRecord opens them.
    if (isAttributed(value) || isNotRead(value)) {
      if (isAttributed(value) && isForeign(value.resource)) {
        throw new NormalizeError(source, 'an AWS or GCP record, not an Azure document');
      }
      return [record(source, value)];
    }
    if (!isObject(value)) {
      throw new NormalizeError(
        source,
        `not an Azure document (${value === null ? 'null' : typeof value})`,
      );
    }
    if (isForeign(value)) {
      throw new NormalizeError(source, 'an AWS or GCP record, not an Azure document');
    }
    // One ARM GET body or one Resource Graph row.
    return [record(source, value)];
  }
  return items.flatMap((item, index) => {
    const itemSource = `${source}[${index}]`;
    return isEnvelope(item) ? unwrapValue(item, itemSource, depth + 1) : [record(itemSource, item)];
  });
}

/**
 * NDJSON text: one document per line. A line that does not parse becomes a record
 * of its raw text, which normalize reports with its line number.
 */
function unwrapText(text: string, source: string): NativeRecord[] {
  try {
    return unwrapValue(JSON.parse(text) as unknown, source, 0);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  return text.split(/\r?\n/).flatMap((line, index) => {
    if (line.trim() === '') return [];
    const lineSource = `${source}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch {
      return [record(lineSource, line)];
    }
    return isEnvelope(value) ? unwrapValue(value, lineSource, 1) : [record(lineSource, value)];
  });
}

/**
 * Native records of one document: a Resource Graph answer (objectArray or table,
 * REST or `az graph query` output), an ARM list page, one ARM GET body or Resource
 * Graph row (bare or in an envelope of envelope/attributed.ts), a plain list of
 * any of these, or NDJSON text of them.
 */
export function unwrap(document: unknown, source: string): NativeRecord[] {
  if (typeof document === 'string') return unwrapText(document, source);
  return unwrapValue(document, source, 0);
}
