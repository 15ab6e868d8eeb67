import type { Change } from '@drift-detective/resource-model';
import { asText, at, isObject } from '../decode/json.js';
import { toRfc3339Utc } from '../decode/time.js';
import { changedByOf } from './changed-by.js';
import type { GridEvent, RejectReason } from './grid-event.js';
import { canonicalArmId } from '../decode/arm-id.js';
import { SUPPORTED_TYPES } from '../types.js';

export const CHANGE_NOTICE = 'drift.azure.eventgrid.change';
export const UNREADABLE_NOTICE = 'drift.azure.eventgrid.unreadable';

/**
 * The body of a ReceivedEvent for a resource write or delete. It names the
 * resource only: Resource events carry no configuration, so the enricher
 * re-reads it by id.
 */
export interface ResourceChangeNotice {
  readonly kind: typeof CHANGE_NOTICE;
  readonly operation: 'write' | 'delete';
  readonly resourceId: string;
  readonly eventId: string;
  readonly eventType: string;
  /**
   * For the finding's `change`: who (changedByOf), when (the event time),
   * the ARM operation as changeType (Event Grid tells no create from update),
   * and the event and ARM correlation ids that tie it to the activity log.
   */
  readonly change: Change;
}

/** The body of a ReceivedEvent that cannot be read: the pipeline dead-letters it with the reason. */
export interface UnreadableEventNotice {
  readonly kind: typeof UNREADABLE_NOTICE;
  readonly reason: string;
  readonly event: unknown;
}

export function isChangeNotice(value: unknown): value is ResourceChangeNotice {
  return isObject(value) && value['kind'] === CHANGE_NOTICE;
}

export function isUnreadableNotice(value: unknown): value is UnreadableEventNotice {
  return isObject(value) && value['kind'] === UNREADABLE_NOTICE;
}

const ARM_ID = /^\/(subscriptions|providers)\//i;

/**
 * The notice of a ResourceWriteSuccess or ResourceDeleteSuccess event, or why
 * it cannot be made. The resource is `data.resourceUri`, else the `subject`
 * (the same id in both schemas); a time that is present must be a real one.
 */
export function changeNoticeOf(
  event: GridEvent,
  operation: 'write' | 'delete',
): ResourceChangeNotice | { readonly code: RejectReason; readonly reason: string } {
  const resourceId = [asText(at(event.data, 'resourceUri')), event.subject].find(
    (id): id is string => id !== null && ARM_ID.test(id),
  );
  if (resourceId === undefined) {
    return {
      code: 'no_resource_id',
      reason: `${event.type} names no ARM resource (data.resourceUri, subject)`,
    };
  }
  const changedAt = event.time === null ? null : toRfc3339Utc(event.time);
  if (event.time !== null && changedAt === null) {
    return {
      code: 'bad_time',
      reason: `${event.type} time ${JSON.stringify(event.time)} is not RFC 3339`,
    };
  }
  const changedBy = changedByOf(event.data);
  const changeType = asText(at(event.data, 'operationName'));
  const correlationId = asText(at(event.data, 'correlationId'));
  const change: Change = {
    ...(changedBy === undefined ? {} : { changedBy }),
    ...(changedAt === null ? {} : { changedAt }),
    ...(changeType === null ? {} : { changeType }),
    relatedEvents: [...new Set([event.id, ...(correlationId === null ? [] : [correlationId])])],
  };
  return {
    kind: CHANGE_NOTICE,
    operation,
    // The findings of the resource carry the id as Resource Graph and ARM write it.
    resourceId: canonicalArmId(resourceId, Object.keys(SUPPORTED_TYPES)),
    eventId: event.id,
    eventType: event.type,
    change,
  };
}

export function unreadableNotice(reason: string, event: unknown): UnreadableEventNotice {
  return { kind: UNREADABLE_NOTICE, reason, event };
}
