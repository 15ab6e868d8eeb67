import {
  startHttpServer,
  type DeliveryOutcome,
  type HttpServer,
  type PipelineLogger,
  type ReceivedEventInit,
} from '@drift-detective/pipeline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventGridAuthenticator, type RequestAuthenticator } from '../../src/eventgrid/auth.js';
import { eventGridHandler } from '../../src/eventgrid/handler.js';
import type { AbuseProtectionOptions } from '../../src/eventgrid/handshake.js';
import { CHANGE_NOTICE, UNREADABLE_NOTICE } from '../../src/eventgrid/resource-change.js';
import {
  AUDIENCE,
  countingCounter,
  example,
  exampleNames,
  ISSUER_V1,
  TENANT,
  testIssuer,
  type TestIssuer,
} from './support.js';

// Plain HTTP on the loopback: in production the webhook runs behind its
// platform's TLS termination (Functions, App Service), which Event Grid's
// HTTPS-only delivery reaches.

let issuer: TestIssuer;
let forger: TestIssuer;
let entra: RequestAuthenticator;
beforeAll(async () => {
  issuer = await testIssuer();
  forger = await testIssuer(); // the same kid, another key
  entra = eventGridAuthenticator({
    entra: { tenantId: TENANT, audience: AUDIENCE, jwks: issuer.jwks },
  });
});

const goodToken = () => issuer.sign({ iss: ISSUER_V1, aud: AUDIENCE, appid: 'event-grid' });
const bearer = async (token?: string) => ({
  authorization: `Bearer ${token ?? (await goodToken())}`,
});

type Outcome = (event: ReceivedEventInit) => DeliveryOutcome;
const ack: Outcome = (e) => ({ id: e.id, status: 'acked' });

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.stop(100);
  server = undefined;
});

async function start(
  auth: RequestAuthenticator = entra,
  outcome: Outcome = ack,
  handshake: AbuseProtectionOptions = {},
) {
  const delivered: ReceivedEventInit[][] = [];
  const logs: string[] = [];
  const log = (fields: Record<string, unknown>, message: string) =>
    logs.push(`${message} ${JSON.stringify(fields)}`);
  const logger: PipelineLogger = { debug: log, info: log, warn: log, error: log };
  const metrics = { events: countingCounter(), requests: countingCounter() };
  const route = eventGridHandler({
    ...handshake,
    auth,
    logger,
    metrics,
    deliver: async (batch) => {
      delivered.push([...batch]);
      return batch.map(outcome);
    },
  });
  server = await startHttpServer({ port: 0, routes: [route] });
  const url = `http://127.0.0.1:${server.port}/eventgrid`;
  const post = async (body: unknown, headers: Record<string, string> = {}, query = '') =>
    fetch(`${url}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-delivery-count': '0', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { url, post, delivered, logs, metrics };
}

/** The validation event as SubscriptionValidationEventData (EventGrid.json) shapes it. */
const validationEvent = {
  id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
  topic: '/subscriptions/00000000-1111-2222-3333-444444444444',
  subject: '',
  data: {
    validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    validationUrl: 'https://example.invalid/validate',
  },
  eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
  eventTime: '2018-01-25T22:12:19.4556811Z',
  metadataVersion: '1',
  dataVersion: '1',
};

describe('eventGridHandler handshakes', () => {
  it('echoes the validation code of the Event Grid schema handshake, only to an authenticated caller', async () => {
    const hook = await start();
    const answer = await hook.post([validationEvent], await bearer());
    expect([answer.status, await answer.json()]).toEqual([
      200,
      { validationResponse: validationEvent.data.validationCode },
    ]);
    expect((await hook.post([validationEvent])).status).toBe(401);
    expect(hook.delivered).toEqual([]);
  });

  it('grants the CloudEvents OPTIONS handshake to the origins allowed, authenticated', async () => {
    const hook = await start(entra, ack, { allowedOrigins: ['eventgrid.azure.net'] });
    const options = (headers: Record<string, string>) =>
      fetch(hook.url, { method: 'OPTIONS', headers });
    const granted = await options({
      'webhook-request-origin': 'eventgrid.azure.net',
      ...(await bearer()),
    });
    expect([
      granted.status,
      granted.headers.get('webhook-allowed-origin'),
      granted.headers.get('webhook-allowed-rate'),
      granted.headers.get('allow'),
    ]).toEqual([200, 'eventgrid.azure.net', '*', 'OPTIONS, POST']);
    const anonymous = await options({ 'webhook-request-origin': 'eventgrid.azure.net' });
    expect([anonymous.status, anonymous.headers.get('webhook-allowed-origin')]).toEqual([
      401,
      null,
    ]);
    const stranger = await options({
      'webhook-request-origin': 'evil.example.com',
      ...(await bearer()),
    });
    expect([stranger.status, stranger.headers.get('webhook-allowed-origin')]).toEqual([403, null]);
  });
});

describe('eventGridHandler handshake defaults', () => {
  it('grants the origin an authenticated caller names when no list is set', async () => {
    const hook = await start();
    const answer = await fetch(hook.url, {
      method: 'OPTIONS',
      headers: { 'webhook-request-origin': 'eventgrid.azure.net', ...(await bearer()) },
    });
    expect([answer.status, answer.headers.get('webhook-allowed-origin')]).toEqual([
      200,
      'eventgrid.azure.net',
    ]);
    const nameless = await fetch(hook.url, { method: 'OPTIONS', headers: await bearer() });
    expect(nameless.status).toBe(400);
  });
});

describe('eventGridHandler authentication', () => {
  it('answers 401 to no token, a forged, an expired or a wrong-audience token, and processes nothing', async () => {
    const hook = await start();
    const body = [example('event-grid-schema', 'resource_write_success.json')];
    const past = Math.floor(Date.now() / 1000) - 3600;
    const tokens = {
      none: undefined,
      forged: await forger.sign({ iss: ISSUER_V1, aud: AUDIENCE }),
      expired: await issuer.sign({ iss: ISSUER_V1, aud: AUDIENCE }, past),
      wrongAudience: await issuer.sign({ iss: ISSUER_V1, aud: 'api://another-app' }),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const answer = await hook.post(
        body,
        token === undefined ? {} : { authorization: `Bearer ${token}` },
      );
      expect([name, answer.status, await answer.text()]).toEqual([name, 401, 'unauthorized\n']);
    }
    expect(hook.delivered).toEqual([]);
    expect(hook.metrics.requests.get('status=401,reason=missing')).toBe(1);
    expect(hook.metrics.requests.get('status=401,reason=bad_signature')).toBe(1);
    expect(hook.metrics.requests.get('status=401,reason=expired')).toBe(1);
    expect(hook.metrics.requests.get('status=401,reason=wrong_audience')).toBe(1);
    const logged = hook.logs.join('\n');
    for (const token of Object.values(tokens)) if (token) expect(logged).not.toContain(token);
  });

  it('takes a shared secret in the query or a header, and answers 401 to a wrong one', async () => {
    const auth = eventGridAuthenticator({
      sharedSecret: {
        secrets: ['old-secret', 'new-secret'],
        queryParameter: 'code',
        header: 'x-drift-secret',
      },
    });
    const hook = await start(auth);
    const body = [example('event-grid-schema', 'resource_write_success.json')];
    expect((await hook.post(body, {}, '?code=new-secret')).status).toBe(200);
    expect((await hook.post(body, { 'x-drift-secret': 'old-secret' })).status).toBe(200);
    expect((await hook.post(body, {}, '?code=guess')).status).toBe(401);
    expect((await hook.post(body)).status).toBe(401);
    expect(hook.delivered).toHaveLength(2);
    expect(hook.metrics.requests.get('status=401,reason=wrong_secret')).toBe(1);
  });

  it('requires the app role when one is configured', async () => {
    const role = 'AzureEventGridSecureWebhookSubscriber';
    const auth = eventGridAuthenticator({
      entra: { tenantId: TENANT, audience: AUDIENCE, jwks: issuer.jwks, requiredRole: role },
    });
    const hook = await start(auth);
    const body = [example('event-grid-schema', 'resource_write_success.json')];
    const withRole = await issuer.sign({ iss: ISSUER_V1, aud: AUDIENCE, roles: [role] });
    expect((await hook.post(body, await bearer(withRole))).status).toBe(200);
    expect((await hook.post(body, await bearer())).status).toBe(401);
    expect(hook.metrics.requests.get('status=401,reason=wrong_claims')).toBe(1);
  });

  it('answers 503, not 401, when the signing keys cannot be fetched, so Event Grid retries', async () => {
    const unreachable = eventGridAuthenticator({
      entra: { tenantId: TENANT, audience: AUDIENCE, jwks: new URL('http://127.0.0.1:1/keys') },
    });
    const hook = await start(unreachable);
    const answer = await hook.post(
      [example('event-grid-schema', 'resource_write_success.json')],
      await bearer(),
    );
    expect([answer.status, await answer.text()]).toEqual([503, 'authentication unavailable\n']);
    expect(hook.delivered).toEqual([]);
  });

  it('refuses to be built without a way to authenticate', () => {
    expect(() => eventGridAuthenticator({})).toThrow(RangeError);
    expect(() =>
      eventGridAuthenticator({ sharedSecret: { secrets: [''], queryParameter: 'code' } }),
    ).toThrow(RangeError);
  });
});

describe('eventGridHandler deliveries', () => {
  it('delivers the write and delete of Microsoft’s examples and ignores the rest, either schema', async () => {
    const hook = await start();
    const grid = exampleNames('event-grid-schema').map((n) => example('event-grid-schema', n));
    const cloud = exampleNames('cloud-events-schema').map((n) => example('cloud-events-schema', n));
    const gridAnswer = await hook.post(grid, await bearer());
    expect([gridAnswer.status, await gridAnswer.json()]).toEqual([
      200,
      { received: grid.length, ignored: grid.length - 2, rejected: [] },
    ]);
    const batch = await hook.post(cloud, {
      ...(await bearer()),
      'content-type': 'application/cloudevents-batch+json',
    });
    expect(batch.status).toBe(200);
    const single = await hook.post(example('cloud-events-schema', 'resource_delete_success.json'), {
      ...(await bearer()),
      'content-type': 'application/cloudevents+json; charset=utf-8',
    });
    expect(single.status).toBe(200);
    const [fromGrid, fromCloud, fromSingle] = hook.delivered;
    expect(fromGrid?.map((e) => (e.body as { operation: string }).operation)).toEqual([
      'delete',
      'write',
    ]);
    expect(fromCloud?.map((e) => (e.body as { operation: string }).operation)).toEqual([
      'delete',
      'write',
    ]);
    expect(fromSingle?.[0]).toMatchObject({
      id: '19a69642-1aad-4a96-a5ab-8d05494513ce',
      receiveCount: 1,
      source: 'eventgrid:webhook/19a69642-1aad-4a96-a5ab-8d05494513ce',
      body: {
        kind: CHANGE_NOTICE,
        operation: 'delete',
        resourceId:
          '/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}',
        change: { changedBy: '{user-name}', changedAt: '2018-07-19T19:24:12.763Z' },
      },
    });
    expect(
      hook.metrics.events.get('outcome=ignored,reason=Microsoft.Resources.ResourceActionSuccess'),
    ).toBe(2);
  });

  it('processes the rest of a batch with a malformed event, dead-letters that one and says which', async () => {
    const hook = await start();
    const broken = {
      id: 'broken-1',
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
      eventTime: '2018-07-19T18:38:04Z',
      data: {},
    };
    const answer = await hook.post(
      [
        example('event-grid-schema', 'resource_write_success.json'),
        broken,
        example('event-grid-schema', 'resource_delete_success.json'),
      ],
      { ...(await bearer()), 'aeg-delivery-count': '3', 'aeg-subscription-name': 'DRIFT' },
    );
    expect(answer.status).toBe(200);
    const reply = (await answer.json()) as { rejected: { id: string; reason: string }[] };
    expect(reply.rejected).toEqual([
      { id: 'broken-1', reason: expect.stringMatching(/names no ARM resource/) },
    ]);
    const sent = hook.delivered[0] ?? [];
    expect(sent.map((e) => [e.id, (e.body as { kind: string }).kind, e.receiveCount])).toEqual([
      ['4db48cba-50a2-455a-93b4-de41a3b5b7f6', CHANGE_NOTICE, 4],
      ['broken-1', UNREADABLE_NOTICE, 4],
      [expect.any(String), CHANGE_NOTICE, 4],
    ]);
    expect(sent[1]?.source).toBe('eventgrid:DRIFT/broken-1');
    expect(hook.metrics.events.get('outcome=rejected,reason=no_resource_id')).toBe(1);
  });

  it('answers 503 when an event failed for now, so Event Grid sends the batch again', async () => {
    const hook = await start(entra, (e) => ({
      id: e.id,
      status: 'nacked',
      reason: 'hub throttled',
      retryAfterMs: 45_000,
    }));
    const answer = await hook.post(
      [example('event-grid-schema', 'resource_write_success.json')],
      await bearer(),
    );
    expect([answer.status, answer.headers.get('retry-after')]).toEqual([503, '45']);
    expect(await answer.text()).toMatch(/^1 of 1 event\(s\) not done .*hub throttled\)\n$/);
  });

  it('hands a replay ×10 over identically (the pipeline dedupes by event id)', async () => {
    const hook = await start();
    const body = [example('event-grid-schema', 'resource_write_success.json')];
    for (let i = 0; i < 10; i++) expect((await hook.post(body, await bearer())).status).toBe(200);
    expect(hook.delivered).toHaveLength(10);
    for (const batch of hook.delivered) expect(batch).toEqual(hook.delivered[0]);
  });

  it('answers 413 to a body over 1 MiB and 400 to bad JSON or no delivery, processing nothing', async () => {
    const hook = await start();
    const big = `[${JSON.stringify('x'.repeat(1024 * 1024))}]`;
    const tooBig = await hook.post(big, await bearer());
    expect([tooBig.status, await tooBig.text()]).toEqual([413, 'body larger than 1048576 bytes\n']);
    expect((await hook.post(big)).status).toBe(401); // the caller is checked before the body is read
    const badJson = await hook.post('[{"id": ', await bearer());
    expect(badJson.status).toBe(400);
    expect(await badJson.text()).toMatch(/^body is not JSON: [^\n]+\n$/);
    const notDelivery = await hook.post({ hello: 'world' }, await bearer());
    expect([notDelivery.status, await notDelivery.text()]).toEqual([
      400,
      'expected a JSON array of events or one CloudEvent\n',
    ]);
    expect((await fetch(hook.url, { headers: await bearer() })).status).toBe(405);
    expect(hook.delivered).toEqual([]);
    expect(hook.metrics.requests.get('status=413,reason=body')).toBe(1);
  });
});
