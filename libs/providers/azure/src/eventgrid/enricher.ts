import { NormalizeError, type Change } from '@drift-detective/resource-model';
import type { JudgementRead } from '../arm/read-resource.js';
import { idKey } from '../decode/arm-id.js';
import { isObject, type JsonObject } from '../decode/json.js';
import { attributed as attributedEnvelope } from '../envelope/attributed.js';
import { topLevelResourceId } from './arm-parent.js';
import { judgement, type Deletion, type EventGridJudgement } from './judgement.js';
import {
  isChangeNotice,
  isUnreadableNotice,
  type ResourceChangeNotice,
} from './resource-change.js';

/** `(id, signal) => readResourceForJudgement(clients, id, signal)` (arm/read-resource.ts). */
export type JudgementReader = (resourceId: string, signal: AbortSignal) => Promise<JudgementRead>;

export interface EventGridEnricherOptions {
  readonly readResource: JudgementReader;
  /** Wraps the judged body with the change (default: envelope/attributed.ts's attributed). */
  readonly attributed?: ((resource: JsonObject, change: Change) => JsonObject) | undefined;
  /** Time allowed for one read, in ms (default 10 s: the webhook answers within 25 s). */
  readonly readTimeoutMs?: number | undefined;
}

export const DEFAULT_READ_TIMEOUT_MS = 10_000;

/**
 * The pipeline's `enrich` for Event Grid notices; use it with an inventory
 * wrapped by withEventGridJudgements. Resource events name the resource
 * only, so:
 * - a write re-reads what judging it needs (a child's judged parent, with
 *   the children) and wraps the judged body with the change; if the resource
 *   itself is gone by now it is reported deleted (time unknown), and if only
 *   its parent is, nothing is judged — its own events or the next sweep tell;
 * - a delete reports the resource deleted at the event time, and when it was
 *   a child (a firewall rule, a container) also re-reads the judged parent,
 *   whose judgement the child was part of (or reports it deleted if gone).
 * An unreadable event throws NormalizeError, so the pipeline dead-letters it
 * with the reason; a failed read throws anything else, so it is retried.
 * Other documents pass unchanged.
 */
export function eventGridEnricher(
  options: EventGridEnricherOptions,
): (document: unknown, source: string) => Promise<unknown> {
  const timeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const wrap = options.attributed ?? attributedEnvelope;
  const read = (resourceId: string) =>
    options.readResource(resourceId, AbortSignal.timeout(timeoutMs));
  return async (document, source) => {
    if (isUnreadableNotice(document)) throw new NormalizeError(source, document.reason);
    if (!isChangeNotice(document)) return document;
    if (document.operation === 'write') {
      const found = await read(document.resourceId);
      if (found.status === 'gone' && found.judgedIsRequested) {
        return judgement([{ resourceId: found.judgedId }], []);
      }
      return judgement([], documentsOf(found, document, wrap));
    }
    const deletedAt = document.change.changedAt;
    const deleted: Deletion[] = [
      { resourceId: document.resourceId, ...(deletedAt === undefined ? {} : { deletedAt }) },
    ];
    // A deleted top-level resource has nothing left to read.
    if (topLevelResourceId(document.resourceId) === null) return judgement(deleted, []);
    const parent = await read(document.resourceId);
    if (parent.status === 'gone') return withDeletion(deleted, parent.judgedId);
    return judgement(deleted, documentsOf(parent, document, wrap));
  };
}

/** The read document, its judged body (first) wrapped with the change; nothing unless found. */
function documentsOf(
  read: JudgementRead,
  notice: ResourceChangeNotice,
  wrap: (resource: JsonObject, change: Change) => JsonObject,
): unknown[] {
  if (read.status !== 'found') return [];
  const [judged, ...children] = read.document;
  return isObject(judged) ? [wrap(judged, notice.change), ...children] : read.document;
}

function withDeletion(deleted: Deletion[], judgedId: string): EventGridJudgement {
  const known = deleted.some((d) => idKey(d.resourceId) === idKey(judgedId));
  return judgement(known ? deleted : [...deleted, { resourceId: judgedId }], []);
}
