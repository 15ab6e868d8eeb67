// The adapter under a misbehaving AWS: a fault-injecting proxy in front of
// moto_server throttles, answers 5xx and drops connections (before moto
// acted, and after it acted but before the caller heard). Nothing may be lost
// (every event judged, every page read) or duplicated (one finding per
// resource and rule in Security Hub).
import type { SqliteStateStore } from '@drift-detective/findings';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import {
  builtPolicyEngine,
  faults,
  startFaultProxy,
  startMotoServer,
  type Fault,
  type FaultPlan,
  type FaultProxy,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlagValues } from '../../src/adapter/config.js';
import { adapter, held, tempStore, workUntilEmpty } from './harness.js';
import { awsSweep } from '../../src/adapter/sweep.js';
import {
  bucketFindings,
  configEventPath,
  securityHubFindings,
  seedAccount,
} from '../../src/testing/index.js';

let moto: MotoServer;
let engine: PolicyEngine;
let proxy: FaultProxy;
let store: SqliteStateStore;
/** What the proxy does to the n-th call (0-based, retries counted) of an operation. */
let planned: Record<string, Record<number, Fault>> = {};
const plan: FaultPlan = (request) => planned[request.operation]?.[request.index] ?? null;

beforeAll(async () => {
  [moto, engine] = await Promise.all([startMotoServer(), builtPolicyEngine()]);
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  planned = {};
  proxy = await startFaultProxy({ target: moto.endpoint, plan });
  store = await tempStore();
});
afterEach(async () => {
  await store.close();
  await proxy.stop();
});

const wire = (flags: FlagValues = {}) => adapter(proxy.endpoint, engine, store, flags);

const injected = () => new Set(proxy.injected.map((i) => `${i.operation}:${i.fault.kind}`));

describe('the adapter under faults', () => {
  it('worker: throttling, 5xx and dropped connections lose no event and duplicate no finding', async () => {
    const { queueUrl, dlqUrl, putChange } = await configEventPath(moto.endpoint, 5);
    planned = {
      ReceiveMessage: { 0: faults.dropBeforeForward() },
      // Deleted in moto, but the worker never hears it: the SDK asks again.
      DeleteMessage: { 0: faults.dropAfterForward() },
      BatchImportFindings: {
        0: faults.throttle(),
        1: faults.throttle(),
        2: faults.serverError(503),
      },
      // The account Block Public Access lookup each bucket event makes.
      ListDiscoveredResources: { 0: faults.serverError(500) },
    };
    for (const [bucket, blocked] of [
      ['leaky-1', false],
      ['leaky-2', false],
      ['tidy', true],
    ] as const) {
      await putChange(bucket, blocked);
    }
    const summary = await workUntilEmpty(moto.endpoint, wire({ queueUrl }));

    expect(summary.deadLettered).toBe(0);
    const all = await securityHubFindings(moto.endpoint);
    expect(new Set(all.map((f) => f.Id)).size).toBe(all.length);
    expect(bucketFindings(all, 'leaky-1')).toHaveLength(1);
    expect(bucketFindings(all, 'leaky-2')).toHaveLength(1);
    expect(bucketFindings(all, 'tidy')).toEqual([]);
    expect(await store.unpublished()).toEqual([]);
    expect(await held(moto.endpoint, dlqUrl)).toBe(0);
    // Every planned fault happened: the run above went through each of them.
    expect(injected()).toEqual(
      new Set([
        'ReceiveMessage:dropBeforeForward',
        'DeleteMessage:dropAfterForward',
        'BatchImportFindings:throttle',
        'BatchImportFindings:serverError',
        'ListDiscoveredResources:serverError',
      ]),
    );
  }, 90_000);

  it('sweep: an outage mid-sweep stops it; the next run resumes and neither loses nor repeats a finding', async () => {
    await seedAccount(moto.endpoint);
    const outage = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [i + 3, faults.serverError(503)]),
    );
    planned = {
      // Types 1–3 list fine; the 4th type's listing fails past the SDK's retries.
      ListDiscoveredResources: outage,
      BatchGetResourceConfig: { 0: faults.throttle(), 1: faults.dropAfterForward() },
      BatchImportFindings: { 0: faults.dropAfterForward() },
    };
    const first = wire();
    await expect(awsSweep(first)).rejects.toThrow(/ServiceUnavailable|503/);
    first.clients.destroy();
    const partial = await securityHubFindings(moto.endpoint);
    expect(injected()).toEqual(
      new Set([
        'ListDiscoveredResources:serverError',
        'BatchGetResourceConfig:throttle',
        'BatchGetResourceConfig:dropAfterForward',
        'BatchImportFindings:dropAfterForward',
      ]),
    );

    planned = {};
    const second = wire();
    const [summary] = await awsSweep(second);
    second.clients.destroy();
    expect(summary).toMatchObject({ completed: true, skipped: 0 });
    expect(summary?.resumedAfter).not.toBeNull();

    const after = await securityHubFindings(moto.endpoint);
    expect(new Set(after.map((f) => f.Id)).size).toBe(after.length);
    // What the interrupted run published is still there, once, beside the rest.
    for (const f of partial) expect(after.map((a) => a.Id)).toContain(f.Id);
    expect(bucketFindings(after, 'open-bucket')).toHaveLength(1);
    expect(after.filter((f) => f.GeneratorId === 'DD-IAM-001')).toHaveLength(1);

    // A clean sweep from scratch finds exactly the same findings: nothing was lost.
    await store.close();
    store = await tempStore();
    await moto.reset();
    await seedAccount(moto.endpoint);
    const clean = wire();
    await awsSweep(clean);
    clean.clients.destroy();
    const expected = await securityHubFindings(moto.endpoint);
    expect(after.map((f) => f.Id).sort()).toEqual(expected.map((f) => f.Id).sort());
  }, 120_000);
});
