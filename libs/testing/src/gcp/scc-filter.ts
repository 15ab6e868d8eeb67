// The part of the ListFindings filter language the stand-in understands: restrictions
// `<field> <op> <value>` joined by AND, each optionally negated with a leading `-` or NOT,
// `=` for equality and `:` for substring, on the finding's own string and enum fields
// (https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings/list).
// OR, parentheses and the other fields answer UNIMPLEMENTED rather than a wrong list.
import { invalidArgument, unimplemented } from './status.js';

type Finding = Readonly<Record<string, unknown>>;

const FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  parent: 'parent',
  resource_name: 'resourceName',
  state: 'state',
  category: 'category',
  severity: 'severity',
  mute: 'mute',
  external_uri: 'externalUri',
  finding_class: 'findingClass',
};

const RESTRICTION = /^\s*(-|NOT\s+)?([a-z_.]+)\s*(=|:)\s*("(?:[^"\\]|\\.)*"|[^\s()]+)\s*$/;

export function findingFilter(filter: string): (finding: Finding) => boolean {
  if (filter.trim() === '') return () => true;
  if (/\bOR\b|[()]/.test(filter))
    throw unimplemented(
      `the stand-in's ListFindings filter takes AND-joined restrictions only: ${filter}`,
    );
  const tests = filter.split(/\s+AND\s+/).map((part) => {
    const m = RESTRICTION.exec(part);
    if (m === null) throw invalidArgument(`invalid filter restriction ${JSON.stringify(part)}`);
    const [, negation, field, op, raw] = m as unknown as [
      string,
      string | undefined,
      string,
      string,
      string,
    ];
    const key = FIELDS[field];
    if (key === undefined) throw unimplemented(`the stand-in cannot filter findings on ${field}`);
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    const test = (finding: Finding): boolean => {
      const actual = String(finding[key] ?? '');
      return op === '=' ? actual === value : actual.includes(value);
    };
    return negation === undefined ? test : (finding: Finding) => !test(finding);
  });
  return (finding) => tests.every((test) => test(finding));
}
