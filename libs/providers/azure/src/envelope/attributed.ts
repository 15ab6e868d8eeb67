import type { Change } from '@drift-detective/resource-model';
import { asText, isObject, type JsonObject } from '../decode/json.js';
import { toRfc3339Utc } from '../decode/time.js';

/**
 * Envelopes this library wraps around ARM records it reads itself (sweep
 * pages, Event Grid events), so the offline inventory can read them too:
 * - attributed: a resource with the change that made it what it is (who,
 *   when, which fields), set as Resource.change;
 * - not read: a resource that could not be read whole (its children failed),
 *   which the inventory reports as skipped — never judged on unknowns, and
 *   never taken for deleted.
 */
export const ATTRIBUTED = 'drift-detective/attributed@1';
export const NOT_READ = 'drift-detective/not-read@1';

export interface AttributedEnvelope {
  readonly envelope: typeof ATTRIBUTED;
  readonly resource: JsonObject;
  readonly change: Change;
}

export interface NotReadEnvelope {
  readonly envelope: typeof NOT_READ;
  readonly id: string;
  readonly type: string;
  readonly reason: string;
}

/** The resource with the change that caused its state; the inventory sets it as Resource.change. */
export function attributed(resource: JsonObject, change: Change): JsonObject {
  const envelope: AttributedEnvelope = { envelope: ATTRIBUTED, resource, change };
  return envelope as unknown as JsonObject;
}

/** A resource that could not be read whole: the inventory reports it as skipped with the reason. */
export function notRead(id: string, type: string, reason: string): JsonObject {
  const envelope: NotReadEnvelope = { envelope: NOT_READ, id, type, reason };
  return envelope as unknown as JsonObject;
}

export function isAttributed(value: unknown): value is AttributedEnvelope {
  return isObject(value) && value['envelope'] === ATTRIBUTED && isObject(value['resource']);
}

export function isNotRead(value: unknown): value is NotReadEnvelope {
  return isObject(value) && value['envelope'] === NOT_READ && typeof value['id'] === 'string';
}

function fieldsOf(value: unknown): Change['fields'] {
  if (!Array.isArray(value)) return undefined;
  const fields = value.flatMap((field) => {
    if (!isObject(field) || typeof field['path'] !== 'string') return [];
    return [
      { path: field['path'], before: field['before'] ?? null, after: field['after'] ?? null },
    ];
  });
  return fields.length > 0 ? fields : undefined;
}

/**
 * The change an envelope carries, keeping only what has the model's shape
 * (libs/resource-model Change): a malformed part is left out rather than
 * making the resource unreadable. undefined when nothing is left.
 */
export function readChange(value: unknown): Change | undefined {
  if (!isObject(value)) return undefined;
  const change: Change = {};
  const changedBy = asText(value['changedBy']);
  if (changedBy !== null) change.changedBy = changedBy;
  const changedAt = toRfc3339Utc(value['changedAt']);
  if (changedAt !== null) change.changedAt = changedAt;
  const changeType = asText(value['changeType']);
  if (changeType !== null) change.changeType = changeType;
  const fields = fieldsOf(value['fields']);
  if (fields) change.fields = fields;
  const events = value['relatedEvents'];
  if (Array.isArray(events)) {
    const ids = events.filter((e): e is string => typeof e === 'string' && e.trim() !== '');
    if (ids.length > 0) change.relatedEvents = ids;
  }
  return Object.keys(change).length > 0 ? change : undefined;
}
