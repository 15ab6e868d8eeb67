import { expiryEnd } from './expiry.js';
import type { WaiverRef } from '../finding.js';
import type { Waiver, WaiverSubject } from './waiver.js';

const compiled = new Map<string, RegExp>();

/**
 * A glob as an anchored regular expression: `*` is any run of characters
 * (`/` and `:` included, since resource ids are ARNs and paths), `?` one
 * character, everything else literal — `.` in `arn:aws:s3:::a.b` must not match any character.
 */
function globRegExp(glob: string, ignoreCase: boolean): RegExp {
  const cacheKey = `${ignoreCase ? 'i' : 'c'}:${glob}`;
  let re = compiled.get(cacheKey);
  if (!re) {
    // Split by code point so `?` stands for one character even outside the BMP.
    const body = Array.from(glob, (ch) =>
      ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.^$+(){}[\]|\\]/g, '\\$&'),
    ).join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'isu' : 'su');
    compiled.set(cacheKey, re);
  }
  return re;
}

/** Whether a glob matches the whole of a value; rule ids compare case-insensitively, resource ids exactly. */
export function globMatches(glob: string, value: string, ignoreCase = false): boolean {
  return globRegExp(glob, ignoreCase).test(value);
}

/** Whether every resource criterion the waiver lists matches the subject. */
function resourceMatches(resource: Waiver['resource'], subject: WaiverSubject): boolean {
  if (resource.id !== undefined && !globMatches(resource.id, subject.resourceId)) return false;
  if (resource.account !== undefined && resource.account !== subject.account) return false;
  for (const [name, value] of Object.entries(resource.tags ?? {})) {
    // Own properties only: a tag named "constructor" must not find Object.prototype's.
    if (!Object.hasOwn(subject.tags, name) || subject.tags[name] !== value) return false;
  }
  return true;
}

/**
 * The first waiver (in file order) that covers the subject at `now`: its rule
 * glob matches the rule id, all its resource criteria match, and its expiry day
 * (UTC) is not over yet.
 */
export function activeWaiver(
  waivers: readonly Waiver[],
  subject: WaiverSubject,
  now: Date,
): Waiver | undefined {
  const at = now.getTime();
  return waivers.find(
    (w) =>
      at < expiryEnd(w) &&
      globMatches(w.rule, subject.ruleId, true) &&
      resourceMatches(w.resource, subject),
  );
}

/**
 * A lookup of the waiver that suppresses a finding, in the shape findings
 * record it; undefined without waivers. `now` is asked at each lookup, so a
 * long-running adapter sees a waiver expire on its day.
 */
export function waiverRefLookup(
  waivers: readonly Waiver[],
  now: () => Date = () => new Date(),
): ((subject: WaiverSubject) => WaiverRef | undefined) | undefined {
  if (waivers.length === 0) return undefined;
  return (subject) => {
    const w = activeWaiver(waivers, subject, now());
    return w && { rule: w.rule, reason: w.reason, owner: w.owner, expires: w.expires };
  };
}
