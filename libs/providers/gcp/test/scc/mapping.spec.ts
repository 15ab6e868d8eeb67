// The finding as SCC takes it, without a server: compliances, severities, event times,
// source property keys.
import { describe, expect, it } from 'vitest';
import {
  compliancesOf,
  eventTimeOf,
  findingName,
  isFindingId,
  organizationName,
  sccFindingOf,
  sccSeverity,
  sourcePropertiesOf,
} from '../../src/scc/index.js';
import { record, resolved, waived } from './records.js';

const NOW = new Date('2026-02-01T00:00:00.000Z');
const SOURCE = 'organizations/671234098812/sources/42';

describe('compliancesOf', () => {
  it("spells the GCP CIS benchmark and NIST as SCC does, drops other clouds' CIS, keeps others as written", () => {
    expect(
      compliancesOf({
        'nist-800-53': ['AC-3', 'AC-21', 'AC-3'],
        'cis-gcp-2.0': ['3.6', '3.7'],
        'cis-aws-3.0': ['2.1.4'],
        'cis-azure-2.0': ['3.7'],
        'pci-dss-4.0': ['1.3.1'],
        iso27001: ['A.12.4.1'],
        'soc2-': [],
      }),
    ).toEqual([
      { standard: 'cis', version: '2.0', ids: ['3.6', '3.7'] },
      { standard: 'iso27001', version: '', ids: ['A.12.4.1'] },
      { standard: 'nist', version: '800-53 R5', ids: ['AC-3', 'AC-21'] },
      { standard: 'pci-dss', version: '4.0', ids: ['1.3.1'] },
    ]);
    expect(compliancesOf({})).toEqual([]);
  });
});

describe('sccSeverity', () => {
  it('maps onto CRITICAL, HIGH, MEDIUM, LOW', () => {
    expect(['critical', 'HIGH', 'Medium', 'LOW', 'INFORMATIONAL', ''].map(sccSeverity)).toEqual([
      'CRITICAL',
      'HIGH',
      'MEDIUM',
      'LOW',
      'LOW',
      'LOW',
    ]);
  });
});

describe('eventTimeOf', () => {
  it('an open finding: when the causing change happened, else when the state was observed', () => {
    expect(eventTimeOf(record(), NOW).toISOString()).toBe('2026-01-15T05:59:30.000Z');
    expect(eventTimeOf(record({ change: undefined }), NOW).toISOString()).toBe(
      '2026-01-15T06:00:00.000Z',
    );
    expect(eventTimeOf(waived(), NOW).toISOString()).toBe('2026-01-15T05:59:30.000Z');
  });

  it('a resolved finding: when it resolved', () => {
    expect(
      eventTimeOf(
        resolved('deleted', { resolvedAt: '2026-01-20T00:00:00.000Z' }),
        NOW,
      ).toISOString(),
    ).toBe('2026-01-20T00:00:00.000Z');
  });

  it('never later than now, and a time that does not parse is skipped', () => {
    expect(
      eventTimeOf(record({ change: { changedAt: '2027-01-01T00:00:00Z' } }), NOW).toISOString(),
    ).toBe(NOW.toISOString());
    expect(eventTimeOf(record({ change: { changedAt: 'yesterday' } }), NOW).toISOString()).toBe(
      '2026-01-15T06:00:00.000Z',
    );
  });
});

describe('sccFindingOf', () => {
  it('names the finding under the source in global, and writes a Timestamp with nanos', () => {
    const finding = sccFindingOf(
      record({ change: { changedAt: '2026-01-15T05:59:30.250Z' } }),
      SOURCE,
      NOW,
    );
    expect(finding.name).toBe(`${SOURCE}/locations/global/findings/${record().id}`);
    expect(finding.eventTime).toEqual({ seconds: 1768456770, nanos: 250_000_000 });
    expect(finding.findingClass).toBe('MISCONFIGURATION');
  });

  it('falls back to the title when there is no message, and cuts long text', () => {
    const finding = sccFindingOf(
      record({ message: '  ', remediation: 'x'.repeat(5000) }),
      SOURCE,
      NOW,
    );
    expect(finding.description).toBe('Bucket readable by anyone');
    expect(finding.nextSteps).toHaveLength(4000);
    expect(finding.nextSteps?.endsWith('…')).toBe(true);
  });
});

describe('sourcePropertiesOf', () => {
  it('uses only keys SCC accepts (a letter, then letters, digits, underscores)', () => {
    const keys = [
      ...Object.keys(sourcePropertiesOf(waived())),
      ...Object.keys(sourcePropertiesOf(resolved('compliant'))),
      ...Object.keys(
        sourcePropertiesOf(record({ change: { ...record().change, relatedEvents: ['e1'] } })),
      ),
    ];
    for (const key of keys) expect(key).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,254}$/);
    expect(keys).toContain('relatedEvents');
    expect(keys).toContain('waiverExpires');
  });

  it('turns values JSON cannot carry into something a Value can', () => {
    const props = sourcePropertiesOf(
      record({ details: { big: 1n, inf: Number.POSITIVE_INFINITY, nothing: undefined, n: null } }),
    );
    expect(props['details']).toEqual({
      structValue: {
        fields: {
          big: { stringValue: '1' },
          inf: { stringValue: 'Infinity' },
          n: { nullValue: 'NULL_VALUE' },
        },
      },
    });
  });
});

describe('names', () => {
  it('reads an organization id or name, and refuses anything else', () => {
    expect(organizationName('671234098812')).toBe('organizations/671234098812');
    expect(organizationName(' organizations/671234098812 ')).toBe('organizations/671234098812');
    expect(() => organizationName('projects/1')).toThrow(/numeric organization id/);
    expect(findingName(SOURCE, 'abc')).toBe(`${SOURCE}/locations/global/findings/abc`);
  });

  it('takes 1 to 32 letters and digits as a finding id', () => {
    expect(isFindingId(record().id)).toBe(true);
    expect(['', 'a-b', 'x'.repeat(33)].map(isFindingId)).toEqual([false, false, false]);
  });
});
