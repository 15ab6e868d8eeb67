import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore, type FindingRecord } from '@drift-detective/findings';
import type { Change } from '@drift-detective/resource-model';
import {
  createMemoryMetrics,
  pushEventSource,
  runEvents,
  startHttpServer,
  type DeadLetterSink,
  type HttpServer,
  type PushEventSource,
  type ReceivedEvent,
} from '@drift-detective/pipeline';
import { builtPolicyEngine } from '@drift-detective/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureInventory } from '../../src/index.js';
import { eventGridAuthenticator } from '../../src/eventgrid/auth.js';
import { attributed } from '../../src/envelope/attributed.js';
import { eventGridEnricher } from '../../src/eventgrid/enricher.js';
import { eventGridHandler } from '../../src/eventgrid/handler.js';
import { withEventGridJudgements } from '../../src/eventgrid/judgement.js';
import { native } from '../helpers.js';
import { example } from './support.js';

// Plain HTTP on the loopback: in production the webhook runs behind its
// platform's TLS termination (Functions, App Service).

const ACCOUNT =
  '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-drift/providers/Microsoft.Storage/storageAccounts/ddstor001public';
const SECRET = 'webhook-secret';

/** Microsoft's example event, about our account, at a time of our choosing. */
function resourceEvent(kind: 'write' | 'delete', id: string, time: string, resourceId = ACCOUNT) {
  const raw = example('event-grid-schema', `resource_${kind}_success.json`);
  return {
    ...raw,
    id,
    eventTime: time,
    subject: resourceId,
    data: { ...(raw['data'] as object), resourceUri: resourceId },
  };
}

/**
 * The account as ARM returns it, last modified at `time`: a public blob guardrail
 * (DD-STORAGE-001), and nothing else wrong (an approved private endpoint, so DD-NET-004 holds).
 */
function accountAt(time: string): Record<string, unknown> {
  const account = structuredClone(native('dd-storage-001-violating-blob-public-access.json')) as {
    properties: Record<string, unknown>;
  };
  account.properties['privateEndpointConnections'] = [
    { properties: { privateLinkServiceConnectionState: { status: 'Approved' } } },
  ];
  return { ...account, systemData: { lastModifiedAt: time } };
}

class Recorder implements DeadLetterSink {
  readonly items: { id: string; reason: string }[] = [];
  async put(event: ReceivedEvent, reason: string) {
    this.items.push({ id: event.id, reason });
  }
}

let store: SqliteStateStore;
let server: HttpServer;
let push: PushEventSource;
let running: Promise<unknown>;
let published: FindingRecord[][];
let reads: string[];
let attributions: Change[];
let failReads: boolean;
let deadLetter: Recorder;
let post: (body: unknown, deliveryCount?: number) => Promise<Response>;

beforeEach(async () => {
  store = new SqliteStateStore(
    path.join(await mkdtemp(path.join(tmpdir(), 'drift-eventgrid-')), 'state.db'),
  );
  published = [];
  reads = [];
  attributions = [];
  failReads = false;
  deadLetter = new Recorder();
  push = pushEventSource({ maxBuffered: 8 });
  running = runEvents(push.source, {
    inventory: withEventGridJudgements(azureInventory),
    engine: await builtPolicyEngine(),
    store,
    publisher: { publish: async (batch) => void published.push([...batch]) },
    deadLetter,
    metrics: createMemoryMetrics(),
    enrich: eventGridEnricher({
      readResource: async (id) => {
        reads.push(id);
        if (failReads) throw new Error('ARM answered 503');
        return {
          status: 'found',
          judgedId: ACCOUNT,
          document: [accountAt('2030-01-01T00:00:00Z')],
        };
      },
      attributed: (resource, change) => {
        attributions.push(change);
        return attributed(resource, change);
      },
    }),
  });
  server = await startHttpServer({
    port: 0,
    routes: [
      eventGridHandler({
        auth: eventGridAuthenticator({
          sharedSecret: { secrets: [SECRET], queryParameter: 'code' },
        }),
        deliver: (events, signal) => push.deliver(events, signal),
      }),
    ],
  });
  post = (body, deliveryCount = 0) =>
    fetch(`http://127.0.0.1:${server.port}/eventgrid?code=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-delivery-count': String(deliveryCount) },
      body: JSON.stringify(body),
    });
});

afterEach(async () => {
  push.close();
  await running;
  await server.stop(100);
  await store.close();
});

describe('Event Grid webhook → pipeline', () => {
  it('opens a finding on a write, answers a replay ×10 without a second look, resolves it on delete', async () => {
    const write = [resourceEvent('write', 'write-1', '2030-01-01T00:00:05Z')];
    expect((await post(write)).status).toBe(200);
    expect(published.flat().map((f) => [f.ruleId, f.status, f.resourceId])).toEqual([
      ['DD-STORAGE-001', 'ACTIVE', ACCOUNT],
    ]);
    expect(attributions).toEqual([
      {
        changedBy: '{user-name}',
        changedAt: '2030-01-01T00:00:05.000Z',
        changeType: 'Microsoft.Storage/storageAccounts/write',
        relatedEvents: ['write-1', '{ID}'],
      },
    ]);

    const before = await store.list();
    for (let i = 0; i < 10; i++) expect((await post(write, i + 1)).status).toBe(200);
    expect(await store.list()).toEqual(before);
    expect(published).toHaveLength(1);
    expect(reads).toEqual([ACCOUNT]);

    expect((await post([resourceEvent('delete', 'delete-1', '2030-01-02T00:00:00Z')])).status).toBe(
      200,
    );
    expect(published[1]?.map((f) => [f.status, f.resolution])).toEqual([['RESOLVED', 'deleted']]);
    expect(reads).toEqual([ACCOUNT]); // a deleted top-level resource is not read
  });

  it('re-reads the judged parent when a child is deleted', async () => {
    const container = `${ACCOUNT}/blobServices/default/containers/logs`;
    expect(
      (await post([resourceEvent('delete', 'delete-child', '2030-01-03T00:00:00Z', container)]))
        .status,
    ).toBe(200);
    // The reader maps the child to its judged parent (arm/read-resource.ts).
    expect(reads).toEqual([container]);
    expect(published.flat().map((f) => [f.ruleId, f.resourceId])).toEqual([
      ['DD-STORAGE-001', ACCOUNT],
    ]);
  });

  it('dead-letters a malformed event and acks its batch-mate; a failed read asks for the batch again', async () => {
    const broken = {
      id: 'broken-1',
      eventType: 'Microsoft.Resources.ResourceDeleteSuccess',
      eventTime: 'soon',
      subject: ACCOUNT,
      data: {},
    };
    const answer = await post([broken, resourceEvent('write', 'write-2', '2030-01-01T00:00:05Z')]);
    expect(answer.status).toBe(200);
    expect(deadLetter.items).toEqual([
      { id: 'broken-1', reason: expect.stringMatching(/time "soon" is not RFC 3339/) },
    ]);

    failReads = true;
    const failed = await post([resourceEvent('write', 'write-3', '2030-01-01T00:00:06Z')]);
    expect(failed.status).toBe(503);
    failReads = false;
    expect(
      (await post([resourceEvent('write', 'write-3', '2030-01-01T00:00:06Z')], 1)).status,
    ).toBe(200);
    expect(published).toHaveLength(1);
  });
});
