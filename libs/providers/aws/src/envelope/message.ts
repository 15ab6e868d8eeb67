import {
  ConfigurationNotIncluded,
  NormalizeError,
  type Change,
} from '@drift-detective/resource-model';
import { compareStrings, has, isRecord, own, stringOr, type JsonObject } from '../decode/values.js';

/**
 * A configuration item and the change notification around it, when it came in one.
 * A notification (SNS, EventBridge detail, Config rule invokingEvent) is
 * {messageType, configurationItem, configurationItemDiff, notificationCreationTime, recordVersion}.
 * https://docs.aws.amazon.com/config/latest/developerguide/example-sns-notification.html
 */
export interface ItemWithDiff {
  readonly item: JsonObject;
  readonly diff: JsonObject | null;
}

const OVERSIZED = 'OversizedConfigurationItemChangeNotification';

/** Whether a value is a notification message (or a GetAggregateResourceConfig answer) rather than a bare item. */
export function isMessage(value: JsonObject): boolean {
  return (
    typeof own(value, 'messageType') === 'string' ||
    has(value, 'configurationItem') ||
    has(value, 'configurationItemSummary')
  );
}

/**
 * The configuration item a record holds. Messages that hold none make the
 * record unreadable: an oversized notification carries only a summary
 * (https://docs.aws.amazon.com/config/latest/developerguide/oversized-notification-example.html),
 * a ScheduledNotification (periodic Config rule) no item at all
 * (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html).
 */
export function itemOf(value: unknown, source: string): ItemWithDiff {
  if (!isRecord(value)) throw new NormalizeError(source, 'not a JSON object');
  if (!isMessage(value)) return { item: value, diff: null };
  const messageType = stringOr(own(value, 'messageType'));
  const item = own(value, 'configurationItem');
  const summary = own(value, 'configurationItemSummary');
  if (messageType === OVERSIZED || (!isRecord(item) && isRecord(summary))) {
    const named = isRecord(summary) ? summary : {};
    throw new ConfigurationNotIncluded(
      source,
      `oversized configuration item: fetch it with GetResourceConfigHistory (${summaryName(summary)})`,
      {
        type: stringOr(own(named, 'resourceType')) ?? undefined,
        id: stringOr(own(named, 'resourceId')) ?? undefined,
        region: stringOr(own(named, 'awsRegion')) ?? undefined,
        account: stringOr(own(named, 'awsAccountId')) ?? undefined,
      },
    );
  }
  if (!isRecord(item)) {
    const type = messageType ? ` (messageType ${messageType})` : '';
    throw new NormalizeError(source, `no configuration item${type}`);
  }
  const diff = own(value, 'configurationItemDiff');
  return { item, diff: isRecord(diff) ? diff : null };
}

function summaryName(summary: unknown): string {
  if (!isRecord(summary)) return 'resource not named';
  const arn = stringOr(own(summary, 'ARN')) ?? stringOr(own(summary, 'arn'));
  const type = stringOr(own(summary, 'resourceType')) ?? 'unknown type';
  const id = stringOr(own(summary, 'resourceId')) ?? 'unknown id';
  return arn ? `${type} ${arn}` : `${type} ${id}`;
}

/**
 * resource.change from a notification's configurationItemDiff: one field per
 * changedProperties key (paths like
 * "SupplementaryConfiguration.PublicAccessBlockConfiguration.BlockPublicAcls"),
 * sorted by path; the diff's changeType lower-cased; the item's relatedEvents
 * (CloudTrail event ids); changedAt = the item's capture time.
 * https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html
 */
export function changeOf(diff: JsonObject, item: JsonObject, changedAt: string | null): Change {
  const change: Change = {};
  if (changedAt !== null) change.changedAt = changedAt;
  const changeType = own(diff, 'changeType');
  if (typeof changeType === 'string') change.changeType = changeType.toLowerCase();
  const properties = own(diff, 'changedProperties');
  if (isRecord(properties)) {
    change.fields = Object.entries(properties)
      .map(([path, entry]) => ({
        path,
        before: isRecord(entry) ? (own(entry, 'previousValue') ?? null) : null,
        after: isRecord(entry) ? (own(entry, 'updatedValue') ?? null) : null,
      }))
      .sort((a, b) => compareStrings(a.path, b.path));
  }
  const events = own(item, 'relatedEvents');
  if (Array.isArray(events)) {
    change.relatedEvents = events.filter((event): event is string => typeof event === 'string');
  }
  return change;
}
