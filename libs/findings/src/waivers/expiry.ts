export const DAY_MS = 86_400_000;

/**
 * The UTC midnight that starts the day written YYYY-MM-DD, in epoch ms, or null
 * when the text is not that form or not a calendar date (2027-02-30).
 */
export function parseDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // The Date rolls an impossible day over into the next month; a real date round-trips.
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date.getTime() : null;
}

/**
 * The first instant a waiver no longer applies: midnight UTC after its expiry
 * day, so `expires: 2027-01-31` covers all of that day.
 */
export function expiryEnd(waiver: { readonly expires: string }): number {
  const start = parseDay(waiver.expires);
  // Waivers built in code skip the parser; a bad date must not silently waive forever or never.
  if (start === null)
    throw new RangeError(`waiver expires is not a YYYY-MM-DD date: ${waiver.expires}`);
  return start + DAY_MS;
}
