// Sweep requests on the push subscription: what `gcp serve`'s pipeline (gcpEventDeps) makes
// of a Pub/Sub message whose data asks for one parent to be swept. Real parts throughout: the
// stand-in through the official client, the policy bundle, the SQLite state, runEvents.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore, type FindingRecord } from '@drift-detective/findings';
import {
  createMemoryMetrics,
  readSweepRequest,
  runEvents,
  SettingsError,
  sweepRequestText,
  type EventDeps,
  type ReceivedEvent,
} from '@drift-detective/pipeline';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { NormalizeError } from '@drift-detective/resource-model';
import {
  builtPolicyEngine,
  gcpFaults,
  noGcpFaults,
  startGcpStandIn,
  type GcpStandIn,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  gcpEventDeps,
  gcpSweepRequests,
  gcpSweepRequestTexts,
  type GcpAdapterConfig,
} from '../../src/index.js';
import { createGcpClients, type GcpClients } from '../../src/grpc/clients.js';
import { nativeFixture } from '../helpers.js';
import { DeadLetters, ORG, pushOf, type Json } from '../pubsub/support.js';

const PROJECT = 'projects/847203951166';
const SAMPLE = path.resolve(
  import.meta.dirname,
  '../../../../../samples/gcp/cloud-asset-export.ndjson',
);

type SweepConfig = Pick<GcpAdapterConfig, 'organization' | 'projects' | 'folders' | 'assetTypes'>;
const SETTINGS: SweepConfig = {
  organization: '671234098812',
  projects: ['847203951166'],
  folders: [],
  assetTypes: null,
};

/** The push envelope of a sweep request for `shard`. */
const requestPush = (shard: string, cloud = 'gcp', messageId?: string): Json =>
  pushOf(
    JSON.parse(sweepRequestText({ cloud, shard })) as Json,
    messageId === undefined ? {} : { messageId },
  );

/** A delivered message, remembering how it ended. */
class Delivery implements ReceivedEvent {
  readonly source: string;
  readonly receiveCount = 1;
  acked = false;
  nacked: { reason: string; retryAfterMs: number } | undefined;
  constructor(readonly body: Json) {
    const id = (body['message'] as Json)['messageId'] as string;
    this.id = id;
    this.source = `pubsub:test/${id}`;
  }
  readonly id: string;
  async ack(): Promise<void> {
    this.acked = true;
  }
  async nack(reason: string, retryAfterMs: number): Promise<void> {
    this.nacked = { reason, retryAfterMs };
  }
}

let standIn: GcpStandIn;
let clients: GcpClients;
let engine: PolicyEngine;
let store: SqliteStateStore;
let published: FindingRecord[];
let deadLetters: DeadLetters;

beforeAll(async () => {
  standIn = await startGcpStandIn({ seed: readFileSync(SAMPLE, 'utf8') });
  clients = createGcpClients({
    endpoint: standIn.endpoint,
    plaintext: true,
    requestTimeoutMs: 5000,
  });
  engine = await builtPolicyEngine();
});

afterAll(async () => {
  await clients.close();
  await standIn.close();
});

beforeEach(async () => {
  store = new SqliteStateStore(
    path.join(await mkdtemp(path.join(tmpdir(), 'drift-gcp-sweep-requests-')), 'state.db'),
  );
  published = [];
  deadLetters = new DeadLetters();
});

afterEach(async () => {
  standIn.setFaults(noGcpFaults);
  await store.close();
});

/** The serve's pipeline, with these settings and this stop. */
function serving(config: SweepConfig = SETTINGS, signal?: AbortSignal): EventDeps {
  return gcpEventDeps({
    config,
    runtime: {
      clients,
      deps: {
        engine,
        store,
        publisher: { publish: async (batch) => void published.push(...batch) },
        metrics: createMemoryMetrics(),
      },
    },
    deadLetter: deadLetters,
    signal,
  });
}

const deliver = (deps: EventDeps, ...deliveries: Delivery[]) =>
  runEvents(
    (async function* () {
      yield* deliveries;
    })(),
    deps,
    { backoffBaseMs: 10, backoffCapMs: 20 },
  );

/** The parents of the ListAssets calls since `from`, by content type. */
const listed = (from: number): string[] =>
  standIn
    .requests()
    .slice(from)
    .filter((e) => e.method === 'ListAssets')
    .map(
      (e) =>
        `${String(e.request['contentType'] ?? 'CONTENT_TYPE_UNSPECIFIED')} ${String(e.request['parent'])}`,
    );

describe('a sweep request in a Pub/Sub push', () => {
  it('is told from a feed message and the welcome message; a broken one is named', () => {
    const sweeps = gcpSweepRequests({
      config: SETTINGS,
      clients,
      deps: { engine, store, publisher: { publish: async () => undefined } },
    });
    expect(sweeps.requestOf(requestPush(PROJECT), 'q/1')).toEqual({ cloud: 'gcp', shard: PROJECT });
    expect(sweeps.requestOf(nativeFixture('pubsub-push-feed-bucket.json'), 'q/2')).toBeUndefined();
    expect(sweeps.requestOf(nativeFixture('pubsub-push-feed-welcome.json'), 'q/3')).toBeUndefined();
    const broken = pushOf({ kind: 'drift-detective/sweep-shard', v: 1, cloud: 'gcp' });
    expect(() => sweeps.requestOf(broken, 'q/4')).toThrow(NormalizeError);
    expect(() => sweeps.requestOf(broken, 'q/4')).toThrow('q/4: sweep request names no shard');
  });

  it('sweeps the parent it names, as gcp sweep does (sweep id gcp/<parent>), then is acked', async () => {
    const from = standIn.requests().length;
    const delivery = new Delivery(requestPush(PROJECT));
    expect(await deliver(serving(), delivery)).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    expect(delivery.acked).toBe(true);
    // Only the project was read; the org policies and firewall policies above it come from
    // the organization.
    expect(new Set(listed(from))).toEqual(
      new Set([
        `CONTENT_TYPE_UNSPECIFIED ${PROJECT}`,
        `ORG_POLICY ${ORG}`,
        `IAM_POLICY ${PROJECT}`,
        `RESOURCE ${PROJECT}`,
        `RESOURCE ${ORG}`,
      ]),
    );
    const findings = await store.list();
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.account))).toEqual(new Set(['847203951166']));
    expect(published.map((f) => f.id).sort()).toEqual(findings.map((f) => f.id).sort());
    // Completed: no checkpoint is left for the next request to resume.
    expect(await store.sweepProgress(`gcp/${PROJECT}`)).toBeUndefined();
  });

  it('is acked with nothing read while another run sweeps the parent (it holds the lease)', async () => {
    const from = standIn.requests().length;
    const delivery = new Delivery(requestPush(PROJECT));
    const summary = await store.withSweepLease(`gcp/${PROJECT}`, () =>
      deliver(serving(), delivery),
    );
    expect(summary).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    expect(listed(from)).toEqual([]);
    expect(published).toEqual([]);
  });

  it('is dead-lettered, nothing read, for a parent outside the settings, another cloud, or settings no sweep runs on', async () => {
    const from = standIn.requests().length;
    const outside = new Delivery(requestPush('projects/dd-fixtures-staging'));
    const folder = new Delivery(requestPush('folders/302194586720'));
    const aws = new Delivery(requestPush('123456789012/us-east-1', 'aws'));
    expect(await deliver(serving(), outside, folder, aws)).toEqual({
      acked: 0,
      retried: 0,
      deadLettered: 3,
    });
    const nothing = new Delivery(requestPush(PROJECT));
    // Settings serve starts with, but no sweep could run on (projects and folders both named).
    await deliver(serving({ ...SETTINGS, folders: ['302194586720'] }), nothing);
    // The organization alone is swept as one parent: none of its projects is a shard.
    const orgOnly = new Delivery(requestPush(PROJECT));
    await deliver(serving({ ...SETTINGS, projects: [] }), orgOnly);
    expect(deadLetters.items.map((d) => [d.id, d.reason])).toEqual([
      [
        outside.id,
        `NormalizeError: sweep request for gcp projects/dd-fixtures-staging: not a parent these settings sweep (they sweep ${PROJECT}); a request never widens what the adapter reads`,
      ],
      [
        folder.id,
        expect.stringMatching(
          /^NormalizeError: sweep request for gcp folders\/302194586720: not a parent/,
        ),
      ],
      [
        aws.id,
        'NormalizeError: sweep request for aws 123456789012/us-east-1: this adapter sweeps gcp, not aws',
      ],
      [
        nothing.id,
        expect.stringMatching(
          /^NormalizeError: sweep request for gcp projects\/847203951166: the settings cannot sweep: sweep either named projects or folders, not both$/,
        ),
      ],
      [orgOnly.id, expect.stringMatching(/they sweep organizations\/671234098812\)/)],
    ]);
    expect([outside, folder, aws, nothing, orgOnly].every((d) => d.acked)).toBe(true);
    expect(listed(from)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('is handed back at once (nack 0) when the stop cuts its Google call, and swept on its next delivery', async () => {
    const stop = new AbortController();
    let reached!: () => void;
    const hit = new Promise<void>((resolve) => (reached = resolve));
    let reachedAt = 0;
    standIn.setFaults((call) => {
      if (call.method !== 'ListAssets') return null;
      reachedAt = Date.now();
      reached();
      return gcpFaults.delay(5_000);
    });
    void hit.then(() => stop.abort());
    const first = new Delivery(requestPush(PROJECT, 'gcp', '700001'));
    expect(await deliver(serving(SETTINGS, stop.signal), first)).toEqual({
      acked: 0,
      retried: 1,
      deadLettered: 0,
    });
    // Cut at once: well before the 5 s the held call would take (set-up not counted).
    expect(Date.now() - reachedAt).toBeLessThan(4_000);
    expect(first.nacked).toEqual({ reason: expect.stringMatching(/^stopped/), retryAfterMs: 0 });
    expect(deadLetters.items).toEqual([]);
    expect(published).toEqual([]);

    standIn.setFaults(noGcpFaults);
    const again = new Delivery(requestPush(PROJECT, 'gcp', '700001'));
    expect(await deliver(serving(), again)).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    expect(published.length).toBeGreaterThan(0);
  });
});

describe('gcp sweep --print-requests', () => {
  it('writes one request per parent the settings sweep, each one a worker reads back', () => {
    const now = new Date('2026-12-07T06:00:00.000Z');
    const lines = gcpSweepRequestTexts(
      { organization: '671234098812', projects: ['dd-fixtures-prod', '847203951166'], folders: [] },
      now,
    );
    expect(lines.map((line) => readSweepRequest(JSON.parse(line), 'line'))).toEqual([
      { cloud: 'gcp', shard: 'projects/dd-fixtures-prod', requestedAt: now.toISOString() },
      { cloud: 'gcp', shard: 'projects/847203951166', requestedAt: now.toISOString() },
    ]);
    expect(
      gcpSweepRequestTexts({ organization: '671234098812', projects: [], folders: [] }, now),
    ).toEqual([
      `{"kind":"drift-detective/sweep-shard","v":1,"cloud":"gcp","shard":"organizations/671234098812","requestedAt":"${now.toISOString()}"}`,
    ]);
    expect(() => gcpSweepRequestTexts({ organization: null, projects: [], folders: [] })).toThrow(
      SettingsError,
    );
  });
});
