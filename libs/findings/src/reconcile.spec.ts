import { describe, expect, it } from 'vitest';
import type { FindingRecord, Observation, WaiverRef } from './finding.js';
import { findingId } from './identity.js';
import { reconcileResource, resolveDeleted, type TransitionEvent } from './reconcile.js';

const resource = { provider: 'aws', account: '123456789012', resourceId: 'arn:aws:s3:::b' };

function observation(ruleId: string, message = `${ruleId} violated`): Observation {
  return {
    ...resource,
    ruleId,
    title: `title of ${ruleId}`,
    severity: 'HIGH',
    message,
    details: { causes: [message] },
    frameworks: {},
    remediation: 'fix it',
    region: 'us-east-1',
    resourceName: 'b',
    resourceType: 'AWS::S3::Bucket',
    kind: 'storage.bucket',
    tags: { team: 'web' },
    observedAt: '2026-11-01T00:00:00Z',
  };
}

const rules = new Set(['DD-STORAGE-001', 'DD-STORAGE-002', 'DD-STORAGE-003']);
const noWaiver = () => undefined;

function run(
  stored: FindingRecord[],
  observations: Observation[],
  now: string,
  waiverFor: (o: Observation) => WaiverRef | undefined = noWaiver,
  judged: Set<string> = rules,
) {
  return reconcileResource({
    resource,
    observations,
    stored,
    judgedRules: judged,
    bundleRules: rules,
    now,
    waiverFor,
  });
}

const records = (events: TransitionEvent[]) => events.map((e) => e.finding);
const transitions = (events: TransitionEvent[]) =>
  events.map((e) => [e.finding.ruleId, e.transition]);

describe('reconcileResource', () => {
  it('opens a new finding with the design identity, then sees it unchanged', () => {
    const first = run([], [observation('DD-STORAGE-001')], 'T1');
    expect(transitions(first)).toEqual([['DD-STORAGE-001', 'new']]);
    const [finding] = records(first);
    expect(finding).toMatchObject({
      id: findingId({ ...resource, ruleId: 'DD-STORAGE-001' }),
      status: 'ACTIVE',
      firstSeen: 'T1',
      lastSeen: 'T1',
      pendingTransition: 'new',
    });
    const second = run(records(first), [observation('DD-STORAGE-001')], 'T2');
    expect(transitions(second)).toEqual([['DD-STORAGE-001', 'unchanged']]);
    expect(records(second)[0]).toMatchObject({
      firstSeen: 'T1',
      lastSeen: 'T2',
      lastChanged: 'T1',
    });
  });

  it('calls a changed message an update, keeping the id', () => {
    const [first] = records(run([], [observation('DD-STORAGE-001', 'one cause')], 'T1'));
    const events = run([first!], [observation('DD-STORAGE-001', 'two causes')], 'T2');
    expect(transitions(events)).toEqual([['DD-STORAGE-001', 'updated']]);
    expect(records(events)[0]?.id).toBe(first?.id);
  });

  it('resolves what no longer violates as compliant, and reopens the same id on regression', () => {
    const opened = records(
      run([], [observation('DD-STORAGE-001'), observation('DD-STORAGE-002')], 'T1'),
    );
    const fixed = run(opened, [observation('DD-STORAGE-002')], 'T2');
    expect(transitions(fixed)).toEqual([
      ['DD-STORAGE-002', 'unchanged'],
      ['DD-STORAGE-001', 'resolved'],
    ]);
    const resolved = records(fixed).find((f) => f.ruleId === 'DD-STORAGE-001');
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      resolvedAt: 'T2',
      resolution: 'compliant',
    });
    const broken = run(
      records(fixed),
      [observation('DD-STORAGE-001'), observation('DD-STORAGE-002')],
      'T3',
    );
    const reopened = broken.find((e) => e.finding.ruleId === 'DD-STORAGE-001');
    expect(reopened?.transition).toBe('reopened');
    expect(reopened?.finding).toMatchObject({
      id: resolved?.id,
      status: 'ACTIVE',
      firstSeen: 'T1',
      resolvedAt: null,
    });
  });

  it('leaves findings of rules it did not judge alone, but resolves those of rules gone from the bundle', () => {
    const stored = records(
      run([], [observation('DD-STORAGE-001'), observation('DD-STORAGE-003')], 'T1'),
    );
    const onlyOne = run(stored, [], 'T2', noWaiver, new Set(['DD-STORAGE-003']));
    expect(transitions(onlyOne)).toEqual([['DD-STORAGE-003', 'resolved']]);
    const removed = { ...stored[0]!, ruleId: 'DD-GONE-001', id: 'gone' };
    const events = reconcileResource({
      resource,
      observations: [],
      stored: [removed],
      judgedRules: new Set(),
      bundleRules: rules,
      now: 'T2',
      waiverFor: noWaiver,
    });
    expect(events[0]?.finding.resolution).toBe('rule-removed');
  });

  it('suppresses under a waiver and becomes active again once it expires', () => {
    const waiver = {
      rule: 'DD-STORAGE-001',
      reason: 'public site',
      owner: 'web',
      expires: '2027-01-31',
    };
    const [active] = records(run([], [observation('DD-STORAGE-001')], 'T1'));
    const suppressed = run([active!], [observation('DD-STORAGE-001')], 'T2', () => waiver);
    expect(transitions(suppressed)).toEqual([['DD-STORAGE-001', 'suppressed']]);
    expect(records(suppressed)[0]).toMatchObject({ status: 'SUPPRESSED', waiver });
    const expired = run(records(suppressed), [observation('DD-STORAGE-001')], 'T3');
    expect(transitions(expired)).toEqual([['DD-STORAGE-001', 'unsuppressed']]);
    expect(records(expired)[0]).toMatchObject({ status: 'ACTIVE', waiver: null });
  });

  it('keeps an unpublished new finding "new" through later updates, until it is published', () => {
    const [first] = records(run([], [observation('DD-STORAGE-001', 'a')], 'T1'));
    const [updated] = records(run([first!], [observation('DD-STORAGE-001', 'b')], 'T2'));
    expect(updated?.pendingTransition).toBe('new');
    const published = {
      ...updated!,
      pendingTransition: null,
      publishedAt: 'T2',
      publishedHash: updated!.contentHash,
    };
    const [again] = records(run([published], [observation('DD-STORAGE-001', 'c')], 'T3'));
    expect(again?.pendingTransition).toBe('updated');
    const [unchanged] = records(
      run([{ ...again!, pendingTransition: null }], [observation('DD-STORAGE-001', 'c')], 'T4'),
    );
    expect(unchanged?.pendingTransition).toBeNull();
  });

  it('keeps a pending reopen or unsuppress through a content update, so the hub still hears it', () => {
    const waiver = { rule: 'DD-STORAGE-001', reason: 'r', owner: 'o', expires: '2027-01-31' };
    const sent = (f: FindingRecord): FindingRecord => ({
      ...f,
      pendingTransition: null,
      publishedAt: 'T',
      publishedHash: f.contentHash,
    });
    const [open] = records(run([], [observation('DD-STORAGE-001', 'a')], 'T1'));
    const [waived] = records(
      run([sent(open!)], [observation('DD-STORAGE-001', 'a')], 'T2', () => waiver),
    );
    // The waiver goes (unsuppressed), the publish fails, and the message changes before the retry.
    const [unwaived] = records(run([sent(waived!)], [observation('DD-STORAGE-001', 'a')], 'T3'));
    expect(unwaived?.pendingTransition).toBe('unsuppressed');
    const [changed] = records(run([unwaived!], [observation('DD-STORAGE-001', 'b')], 'T4'));
    expect(changed?.pendingTransition).toBe('unsuppressed');

    const [fixed] = records(run([sent(open!)], [], 'T5'));
    const [broken] = records(run([sent(fixed!)], [observation('DD-STORAGE-001', 'a')], 'T6'));
    expect(broken?.pendingTransition).toBe('reopened');
    const [worse] = records(run([broken!], [observation('DD-STORAGE-001', 'c')], 'T7'));
    expect(worse?.pendingTransition).toBe('reopened');
  });

  it('keeps the change that caused a violation while it stays open', () => {
    const change = { changedAt: 'T0', fields: [{ path: 'x', before: true, after: false }] };
    const [first] = records(run([], [{ ...observation('DD-STORAGE-001'), change }], 'T1'));
    const [later] = records(run([first!], [observation('DD-STORAGE-001')], 'T2'));
    expect(later?.change).toEqual(change);
  });
});

describe('resolveDeleted', () => {
  it('leaves a resource observed after its deletion alone (recreated), and stamps the deletion time', () => {
    const opened = records(run([], [observation('DD-STORAGE-001')], 'T1')); // observed 2026-11-01
    expect(resolveDeleted(opened, 'T2', '2026-10-31T00:00:00Z')).toEqual([]);
    const [gone] = resolveDeleted(opened, 'T2', '2026-11-02T00:00:00Z');
    expect(gone?.finding).toMatchObject({
      status: 'RESOLVED',
      resolution: 'deleted',
      observedAt: '2026-11-02T00:00:00Z',
    });
  });

  it('resolves every open finding of a deleted resource and leaves resolved ones alone', () => {
    const opened = records(
      run([], [observation('DD-STORAGE-001'), observation('DD-STORAGE-002')], 'T1'),
    );
    const oneFixed = records(run(opened, [observation('DD-STORAGE-002')], 'T2'));
    const events = resolveDeleted(oneFixed, 'T3');
    expect(events.map((e) => [e.finding.ruleId, e.finding.resolution])).toEqual([
      ['DD-STORAGE-002', 'deleted'],
    ]);
  });
});

describe('out-of-order observations', () => {
  it('ignores a state older than the one the findings reflect: a redelivered event never reverts newer state', () => {
    const fixedLater = { ...observation('DD-STORAGE-001'), observedAt: '2026-11-01T10:00:00Z' };
    const [open] = records(run([], [fixedLater], 'T1'));
    const newer = reconcileResource({
      resource,
      observations: [],
      stored: [open!],
      judgedRules: rules,
      bundleRules: rules,
      now: 'T2',
      observedAt: '2026-11-01T11:00:00Z',
      waiverFor: noWaiver,
    });
    expect(transitions(newer)).toEqual([['DD-STORAGE-001', 'resolved']]);
    // The older violating state arrives late: nothing reopens.
    const stale = reconcileResource({
      resource,
      observations: [fixedLater],
      stored: records(newer),
      judgedRules: rules,
      bundleRules: rules,
      now: 'T3',
      observedAt: '2026-11-01T10:00:00Z',
      waiverFor: noWaiver,
    });
    expect(stale).toEqual([]);
  });
});
