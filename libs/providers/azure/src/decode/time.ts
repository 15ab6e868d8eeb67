const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * An RFC 3339 time converted to UTC ("2021-01-21T15:00:41.000Z"), or null when the
 * value is not one. ARM writes seven fractional digits ("…41.0000000Z"); they are
 * cut to milliseconds. Impossible dates (Feb 30) are rejected instead of rolled over.
 */
export function toRfc3339Utc(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = RFC3339.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const calendar = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  calendar.setUTCFullYear(y, m - 1, d);
  if (calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const text = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${zone.toUpperCase()}`;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) return null;
  const iso = time.toISOString();
  // Years outside 0000-9999 print as "+010000-…", which is no RFC 3339 time.
  return /^\d{4}-/.test(iso) ? iso : null;
}
