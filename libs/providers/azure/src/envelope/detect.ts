import { isObject } from '../decode/json.js';
import { isArmPage, looksLikeArmResource } from './arm-page.js';
import { isAttributed, isNotRead } from './attributed.js';
import { isForeign } from './foreign.js';
import { columnNames, hasAnswerMetadata, isResourceGraphAnswer } from './resource-graph.js';

const MAX_DEPTH = 4;

/** A list of records or documents: Azure when something in it is, and nothing in it is another cloud's. */
function detectList(items: unknown[], depth: number): boolean {
  if (items.some(isForeign)) return false;
  return items.some((item) => detectValue(item, depth + 1));
}

function detectValue(document: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(document)) return detectList(document, depth);
  if (!isObject(document) || isForeign(document)) return false;
  // This library's own envelopes: an ARM resource with its change, or one that could not be read.
  if (isAttributed(document)) {
    return !isForeign(document.resource) && looksLikeArmResource(document.resource);
  }
  if (isNotRead(document)) return true;
  if (isResourceGraphAnswer(document)) {
    const data = document['data'];
    if (Array.isArray(data)) {
      return (hasAnswerMetadata(document) && !data.some(isForeign)) || detectList(data, depth);
    }
    const columns = columnNames(data);
    return hasAnswerMetadata(document) || (columns.includes('id') && columns.includes('type'));
  }
  if (isArmPage(document)) {
    // An empty last page ({value: []}) is still a page.
    return document.value.length === 0 || detectList(document.value, depth);
  }
  return looksLikeArmResource(document);
}

/** NDJSON text: decided by its first line. */
function detectText(text: string): boolean {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '');
  if (first === undefined) return false;
  try {
    return detectValue(JSON.parse(first) as unknown, 0);
  } catch {
    return false;
  }
}

/**
 * Whether a parsed document (or NDJSON line/text) is Azure input: a Resource Graph
 * answer, an ARM list page, an ARM body or Resource Graph row (ARM id
 * "/subscriptions/…" or "/providers/…" and a "Namespace/type"), one of these
 * in an envelope of envelope/attributed.ts, or a list of them.
 * AWS Config items (configurationItem keys, ARNs) and Cloud Asset records
 * (assetType, "//" names) are rejected.
 */
export function detect(document: unknown): boolean {
  if (typeof document === 'string') return detectText(document);
  return detectValue(document, 0);
}
