/**
 * What a native catalog fixture's name says: `dd-net-001-violating-ssh-open.json` is a case of
 * DD-NET-001 that violates it; `…-compliant-….json` one that complies. null for other files.
 */
export function catalogFixtureName(file: string): { ruleId: string; violating: boolean } | null {
  const match = /^(dd-[a-z]+-\d{3})-(violating|compliant)-.+\.json$/.exec(file);
  const [, rule, verdict] = match ?? [];
  if (rule === undefined || verdict === undefined) return null;
  return { ruleId: rule.toUpperCase(), violating: verdict === 'violating' };
}
