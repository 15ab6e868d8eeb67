import { describe, expect, it } from 'vitest';
import type { RuleMetadata } from '@drift-detective/policy-engine';
import { kindRuleName, renderDispatch, rulesByKind } from './dispatch.js';

const rule = (id: string, pkg: string, kinds: string[]): RuleMetadata => ({
  id,
  package: pkg,
  title: id,
  description: id,
  severity: 'LOW',
  kinds,
  frameworks: {},
  remediation: { default: 'x' },
});

describe('dispatch by kind', () => {
  const rules = [
    rule('DD-B-001', 'drift.rules.b.one', ['storage.bucket', 'iam.policy']),
    rule('DD-A-001', 'drift.rules.a.one', ['storage.bucket']),
  ];

  it('lists each kind once, with its rules in id order', () => {
    const byKind = rulesByKind(rules);
    expect([...byKind.keys()]).toEqual(['iam.policy', 'storage.bucket']);
    expect(byKind.get('storage.bucket')?.map((r) => r.id)).toEqual(['DD-A-001', 'DD-B-001']);
  });

  it('selects by kind and names each rule by a fixed reference with its id', () => {
    const rego = renderDispatch(rules);
    expect(rego).toContain('package drift.dispatch');
    expect(rego).toContain('default violations := set()');
    expect(rego).toContain(
      'violations := kind_storage_bucket if input.resource.kind == "storage.bucket"',
    );
    expect(rego).toContain(
      'kind_iam_policy contains object.union(violation, {"rule_id": "DD-B-001"}) if {\n' +
        '\tsome violation in data.drift.rules.b.one.deny\n}',
    );
    expect(rego).not.toContain('data.drift.rules.a.one.deny\n}\n\nkind_iam_policy');
    expect(renderDispatch([...rules].reverse())).toBe(rego);
  });

  it('makes every kind a Rego identifier and refuses two kinds that would collide', () => {
    expect(kindRuleName('network.firewall')).toBe('kind_network_firewall');
    expect(kindRuleName('a-b.c')).toBe('kind_a_b_c');
    expect(() => renderDispatch([rule('DD-A-001', 'drift.rules.a.one', ['a.b', 'a_b'])])).toThrow(
      /would share the dispatch rule kind_a_b/,
    );
  });
});
