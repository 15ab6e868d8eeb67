import { NormalizeError } from '@drift-detective/resource-model';
import { shown } from './account-id.js';
import { isRecord, own, type JsonObject } from './values.js';

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?([Zz]|[+-]\d{2}:?\d{2})$/;

/** Latest instant toISOString still writes with a four-digit year. */
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * configurationItemCaptureTime as RFC 3339 UTC, or null when the record has no
 * readable time. Config writes it in three ways:
 * - ISO 8601 text with an offset and microseconds ("2017-02-04T06:10:33.880000-05:00",
 *   GetResourceConfigHistory through boto3);
 * - epoch seconds as a number (1502510556.116, the same call serialized by older SDKs);
 *   a number too large for seconds is read as epoch milliseconds;
 * - a placebo (boto3 recorder) datetime object ({"__class__": "datetime", year, …, microsecond}),
 *   written without its zone; the recorded times are UTC.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationItem.html
 */
export function captureTimeToRfc3339(value: unknown): string | null {
  if (typeof value === 'string') return fromIsoText(value.trim());
  if (typeof value === 'number') return fromEpoch(value);
  if (isRecord(value) && value['__class__'] === 'datetime') return fromPlaceboDatetime(value);
  return null;
}

/**
 * A configuration item's configurationItemCaptureTime as RFC 3339 UTC; null
 * when the item has none. One that is there but reads as no time throws
 * NormalizeError naming it: taking the time of processing instead would store
 * a wrong observation time, which outranks every older state yet to come
 * (the state keeps the newest observation of each resource), so the record is
 * skipped, or its event dead-lettered, with that reason.
 */
export function itemCaptureTime(item: JsonObject, source: string): string | null {
  const value = own(item, 'configurationItemCaptureTime');
  if (value === undefined || value === null) return null;
  const time = captureTimeToRfc3339(value);
  if (time === null) {
    throw new NormalizeError(source, `configurationItemCaptureTime ${shown(value)} is not a time`);
  }
  return time;
}

function fromIsoText(text: string): string | null {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const millis = Number((fraction + '000').slice(0, 3));
  const local = utc(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    millis,
  );
  if (local === null) return null;
  return toRfc3339(local - zoneOffsetMinutes(zone) * 60_000);
}

function zoneOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return zone.startsWith('-') ? -minutes : minutes;
}

function fromEpoch(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return null;
  // 1e11 seconds is the year 5138; no capture time is that late, so larger numbers are milliseconds.
  return toRfc3339(value < 1e11 ? value * 1000 : value);
}

function fromPlaceboDatetime(value: Record<string, unknown>): string | null {
  const parts = ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'].map(
    (key) => value[key] ?? 0,
  );
  if (!parts.every((part) => typeof part === 'number' && Number.isInteger(part))) return null;
  const [year, month, day, hour, minute, second, micro] = parts as number[];
  if (micro === undefined || micro < 0 || micro > 999_999) return null;
  const ms = utc(year, month, day, hour, minute, second, Math.floor(micro / 1000));
  return ms === null ? null : toRfc3339(ms);
}

/** Epoch ms of a calendar time, or null when a component is out of range (Date.UTC would roll it over). */
function utc(
  year: number | undefined,
  month: number | undefined,
  day: number | undefined,
  hour: number | undefined,
  minute: number | undefined,
  second: number | undefined,
  ms: number,
): number | null {
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  )
    return null;
  if (year < 1970 || year > 9999 || hour > 23 || minute > 59 || second > 59) return null;
  if (hour < 0 || minute < 0 || second < 0) return null;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(time);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return time;
}

function toRfc3339(ms: number): string | null {
  const rounded = Math.round(ms);
  if (!Number.isFinite(rounded) || rounded < 0 || rounded > MAX_MS) return null;
  return new Date(rounded).toISOString();
}
