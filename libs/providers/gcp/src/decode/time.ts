import { isObject } from './values.js';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * A timestamp as RFC 3339 UTC ("…Z"), or null when it cannot be read.
 *
 * Cloud Asset times are proto Timestamps: in JSON a string with up to nine fractional
 * digits ("2262-04-11T23:47:16.854775807Z"); the Node client returns them as
 * `{seconds, nanos}` objects with int64 seconds as a string.
 * https://protobuf.dev/reference/protobuf/google.protobuf/#timestamp
 * Offsets ("2019-04-26T00:09:33.666-07:00", compute creationTimestamp) are shifted to UTC;
 * the fraction is kept as given (at most nine digits).
 */
export function toUtcTimestamp(value: unknown): string | null {
  if (typeof value === 'string') return fromString(value);
  if (isObject(value)) return fromSecondsNanos(value['seconds'], value['nanos']);
  return null;
}

function fromString(value: string): string | null {
  const match = RFC3339.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match as unknown as string[];
  const millis = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const check = new Date(millis);
  // Date.UTC rolls 2019-02-30 over to March: such a value is not a date.
  if (
    check.getUTCFullYear() !== Number(year) ||
    check.getUTCMonth() !== Number(month) - 1 ||
    check.getUTCDate() !== Number(day) ||
    check.getUTCHours() !== Number(hour) ||
    check.getUTCMinutes() !== Number(minute) ||
    check.getUTCSeconds() !== Number(second)
  ) {
    return null;
  }
  const offsetMinutes = zone === undefined || /^[Zz]$/.test(zone) ? 0 : offsetOf(zone);
  const utc = new Date(millis - offsetMinutes * 60_000);
  return formatUtc(utc, fraction === undefined ? '' : fraction.slice(0, 9));
}

function offsetOf(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hours, minutes] = zone.slice(1).split(':').map(Number) as [number, number];
  return sign * (hours * 60 + minutes);
}

function fromSecondsNanos(seconds: unknown, nanos: unknown): string | null {
  const secs =
    typeof seconds === 'number'
      ? seconds
      : typeof seconds === 'string' && /^-?\d+$/.test(seconds)
        ? Number(seconds)
        : null;
  const nano = nanos === undefined || nanos === null ? 0 : nanos;
  if (secs === null || !Number.isSafeInteger(secs)) return null;
  if (typeof nano !== 'number' || !Number.isInteger(nano) || nano < 0 || nano > 999_999_999) {
    return null;
  }
  const date = new Date(secs * 1000);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) {
    return null;
  }
  const fraction = nano === 0 ? '' : String(nano).padStart(9, '0').replace(/0+$/, '');
  return formatUtc(date, fraction);
}

function formatUtc(date: Date, fraction: string): string | null {
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) return null;
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ for years 0001–9999
  return `${iso.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}
