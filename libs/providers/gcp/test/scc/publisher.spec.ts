// SccPublisher with the official v2 client against the gRPC stand-in: what Security
// Command Center holds after each transition, and how many writes it took.
import { isPartialPublishFailure } from '@drift-detective/pipeline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SccPublishError } from '../../src/scc/index.js';
import { startHarness, type Harness } from './harness.js';
import { BUCKET, FIREWALL, idOf, ORG_ID, record, resolved, waived } from './records.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const nameOf = (source: string, id: string) => `${source}/locations/global/findings/${id}`;
const only = (h: Harness) => {
  const all = h.findings();
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe('a new finding', () => {
  it('is written ACTIVE under the source, with every field, in one write', async () => {
    const publisher = h.publisher();
    const start = h.standIn.requests().length;
    await publisher.publish([record()]);
    const source = await publisher.source();
    expect(source).toMatch(new RegExp(`^organizations/${ORG_ID}/sources/\\d+$`));
    expect(h.calls(start)).toEqual(['ListSources OK', 'CreateSource OK', 'UpdateFinding OK']);

    const finding = only(h);
    expect(finding).toMatchObject({
      name: nameOf(source, record().id),
      parent: `${source}/locations/global`,
      state: 'ACTIVE',
      mute: 'UNDEFINED',
      category: 'DD-STORAGE-001',
      findingClass: 'MISCONFIGURATION',
      severity: 'CRITICAL',
      resourceName: BUCKET,
      eventTime: '2026-01-15T05:59:30Z',
      description: 'allUsers holds roles/storage.objectViewer on the bucket',
      nextSteps: 'Remove allUsers and allAuthenticatedUsers from the bucket policy.',
      compliances: [
        { standard: 'cis', version: '2.0', ids: ['5.1'] },
        { standard: 'nist', version: '800-53 R5', ids: ['AC-3', 'AC-21'] },
      ],
      sourceProperties: {
        ruleId: 'DD-STORAGE-001',
        findingId: record().id,
        title: 'Bucket readable by anyone',
        severity: 'CRITICAL',
        status: 'ACTIVE',
        project: 'dd-fixtures-prod',
        cause: 'allUsers holds roles/storage.objectViewer on the bucket',
        details: { member: 'allUsers', role: 'roles/storage.objectViewer' },
        changedBy: 'alice@example.com',
        changedAt: '2026-01-15T05:59:30.000Z',
        changeType: 'UPDATE',
        changedFields: [
          {
            path: 'iamPolicy.bindings',
            before: [],
            after: [{ role: 'roles/storage.objectViewer', members: ['allUsers'] }],
          },
        ],
        change:
          'iamPolicy.bindings: [] → [{"role":"roles/storage.objectViewer","members":["allUsers"]}]',
      },
    });
    // The AWS benchmark's control numbers mean nothing on a GCP resource.
    expect(JSON.stringify(finding['compliances'])).not.toContain('2.1.4');
  });

  it('is what the official client lists under the source', async () => {
    const publisher = h.publisher();
    await publisher.publish([
      record(),
      record({ id: idOf(2), resourceId: FIREWALL, ruleId: 'DD-NET-001' }),
    ]);
    const [results] = await h.clients.scc.listFindings({
      parent: await publisher.source(),
      filter: 'state="ACTIVE"',
    });
    expect(
      results.map((r) => [r.finding?.category, r.finding?.resourceName, r.finding?.severity]),
    ).toEqual([
      ['DD-NET-001', FIREWALL, 'CRITICAL'],
      ['DD-STORAGE-001', BUCKET, 'CRITICAL'],
    ]);
    expect(results[1]?.finding?.sourceProperties?.['ruleId']?.stringValue).toBe('DD-STORAGE-001');
  });

  it("maps our severities onto SCC's four", async () => {
    const publisher = h.publisher();
    const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
    await publisher.publish(severities.map((severity, i) => record({ id: idOf(i + 1), severity })));
    const bySeverity = h
      .findings()
      .map((f) => [(f['sourceProperties'] as Record<string, unknown>)['severity'], f['severity']]);
    expect(new Map(bySeverity as [string, string][])).toEqual(
      new Map([
        ['CRITICAL', 'CRITICAL'],
        ['HIGH', 'HIGH'],
        ['MEDIUM', 'MEDIUM'],
        ['LOW', 'LOW'],
        ['INFORMATIONAL', 'LOW'],
      ]),
    );
  });
});

describe('re-sending', () => {
  it('updates the one finding: nothing duplicated, one write per re-send', async () => {
    const publisher = h.publisher();
    await publisher.publish([record()]);
    const start = h.standIn.requests().length;
    await publisher.publish([record()]);
    await publisher.publish([record(), record()]);
    expect(h.calls(start)).toEqual(['UpdateFinding OK', 'UpdateFinding OK']);
    expect(only(h)['state']).toBe('ACTIVE');
  });

  it('replaces the properties of an earlier version: a change no longer true does not linger', async () => {
    const publisher = h.publisher();
    await publisher.publish([record()]);
    await publisher.publish([
      record({
        message: 'allAuthenticatedUsers can read',
        change: undefined,
        pendingTransition: 'updated',
      }),
    ]);
    const props = only(h)['sourceProperties'] as Record<string, unknown>;
    expect(props['cause']).toBe('allAuthenticatedUsers can read');
    expect(props).not.toHaveProperty('changedBy');
    expect(props).not.toHaveProperty('changedFields');
    expect(only(h)['description']).toBe('allAuthenticatedUsers can read');
  });
});

describe('state', () => {
  it('resolved → INACTIVE, reopened → ACTIVE, the same finding', async () => {
    const publisher = h.publisher();
    await publisher.publish([record()]);
    const name = only(h)['name'];

    await publisher.publish([resolved('compliant')]);
    expect(only(h)).toMatchObject({
      name,
      state: 'INACTIVE',
      eventTime: '2026-01-15T07:00:00Z',
      sourceProperties: { status: 'RESOLVED', resolution: 'compliant' },
    });

    const start = h.standIn.requests().length;
    await publisher.publish([resolved('compliant')]);
    expect(h.calls(start)).toEqual(['UpdateFinding OK']);

    await publisher.publish([
      record({
        pendingTransition: 'reopened',
        observedAt: '2026-01-15T08:00:00.000Z',
        change: undefined,
      }),
    ]);
    expect(only(h)).toMatchObject({ name, state: 'ACTIVE', eventTime: '2026-01-15T08:00:00Z' });
    expect(only(h)['sourceProperties']).not.toHaveProperty('resolution');
  });

  it('a deleted resource → INACTIVE, never deleted', async () => {
    const publisher = h.publisher();
    await publisher.publish([record()]);
    await publisher.publish([resolved('deleted')]);
    expect(only(h)).toMatchObject({
      state: 'INACTIVE',
      sourceProperties: { resolution: 'deleted' },
    });
  });

  it('a finding first sent already resolved is created and made INACTIVE', async () => {
    const publisher = h.publisher();
    const start = h.standIn.requests().length;
    await publisher.publish([resolved('rule-removed')]);
    expect(h.calls(start).slice(-2)).toEqual(['UpdateFinding OK', 'SetFindingState OK']);
    expect(only(h)).toMatchObject({
      state: 'INACTIVE',
      sourceProperties: { resolution: 'rule-removed' },
    });
  });
});

describe('waivers', () => {
  it('waived → ACTIVE and MUTED with the waiver; unwaived → UNMUTED', async () => {
    const publisher = h.publisher();
    await publisher.publish([record()]);
    await publisher.publish([waived()]);
    expect(only(h)).toMatchObject({
      state: 'ACTIVE',
      mute: 'MUTED',
      sourceProperties: {
        status: 'SUPPRESSED',
        waiverReason: 'public website assets',
        waiverOwner: 'web-team@example.com',
        waiverExpires: '2026-06-30',
      },
    });

    const start = h.standIn.requests().length;
    await publisher.publish([waived()]);
    expect(h.calls(start)).toEqual(['UpdateFinding OK']);

    await publisher.publish([record({ pendingTransition: 'unsuppressed' })]);
    expect(only(h)).toMatchObject({ state: 'ACTIVE', mute: 'UNMUTED' });
    expect(only(h)['sourceProperties']).not.toHaveProperty('waiverReason');
  });

  it('a waived finding that resolves is INACTIVE and unmuted, so reopening shows it', async () => {
    const publisher = h.publisher();
    await publisher.publish([waived({ pendingTransition: 'new' })]);
    expect(only(h)).toMatchObject({ state: 'ACTIVE', mute: 'MUTED' });
    await publisher.publish([resolved('compliant')]);
    expect(only(h)).toMatchObject({ state: 'INACTIVE', mute: 'UNMUTED' });
    await publisher.publish([record({ pendingTransition: 'reopened' })]);
    expect(only(h)).toMatchObject({ state: 'ACTIVE', mute: 'UNMUTED' });
  });
});

describe('what is not sent', () => {
  it('findings of other providers are skipped; an id SCC cannot take is refused for good without a call', async () => {
    const publisher = h.publisher();
    const start = h.standIn.requests().length;
    const error = await publisher
      .publish([record({ provider: 'aws', id: idOf(7) }), record({ id: 'not-an-id' }), record()])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SccPublishError);
    expect((error as SccPublishError).rejected).toEqual([
      {
        id: 'not-an-id',
        permanent: true,
        reason: expect.stringContaining('32 letters and digits'),
      },
    ]);
    expect(h.calls(start).filter((c) => c.startsWith('UpdateFinding'))).toHaveLength(1);
    expect(only(h)['name']).toContain(record().id);
  });

  it('an empty batch makes no call, not even for the source', async () => {
    const start = h.standIn.requests().length;
    await h.publisher().publish([]);
    expect(h.calls(start)).toEqual([]);
  });

  it('never sends an event time later than now', async () => {
    const clock = () => new Date('2026-01-15T06:30:00.000Z');
    await h
      .publisher({ clock })
      .publish([record({ change: undefined, observedAt: '2030-01-01T00:00:00.000Z' })]);
    expect(only(h)['eventTime']).toBe('2026-01-15T06:30:00Z');
  });
});

describe('isPartialPublishFailure', () => {
  it('recognises SccPublishError', () => {
    const error = new SccPublishError(
      [
        {
          id: idOf(1),
          resourceName: BUCKET,
          operation: 'UpdateFinding',
          code: 7,
          message: 'PERMISSION_DENIED: no',
          permanent: true,
        },
      ],
      2,
    );
    expect(isPartialPublishFailure(error)).toBe(true);
    expect(error.message).toContain('1 of 2');
    expect(error.rejected[0]?.reason).toContain('UpdateFinding');
  });
});
