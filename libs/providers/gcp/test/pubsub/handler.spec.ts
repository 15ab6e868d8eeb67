import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startHttpServer,
  sweepRequestText,
  type DeliveryOutcome,
  type HttpServer,
  type ReceivedEventInit,
} from '@drift-detective/pipeline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pubsubPushAuthenticator, pubsubPushRoute } from '../../src/pubsub/index.js';
import { nativeFixture } from '../helpers.js';
import {
  AUDIENCE,
  countingCounter,
  DeadLetters,
  pushClaims,
  pushOf,
  SUBSCRIPTION,
  testIssuer,
  type Json,
  type TestIssuer,
} from './support.js';

// Plain HTTP on the loopback: in production the endpoint runs behind Cloud Run's TLS.

let issuer: TestIssuer;
let server: HttpServer;
let delivered: ReceivedEventInit[];
let outcome: (event: ReceivedEventInit) => DeliveryOutcome;
let deadLetters: DeadLetters;
let messages: ReturnType<typeof countingCounter>;
let requests: ReturnType<typeof countingCounter>;
let token: string;

async function start(jwks: TestIssuer['jwks'] | string): Promise<void> {
  server = await startHttpServer({
    port: 0,
    routes: [
      pubsubPushRoute({
        auth: pubsubPushAuthenticator({
          audience: AUDIENCE,
          serviceAccountEmail: 'Drift-Push@dd-fixtures-prod.iam.gserviceaccount.com',
          jwks,
        }),
        deliver: async (events) => {
          delivered.push(...events);
          return events.map(outcome);
        },
        deadLetter: deadLetters,
        metrics: { messages, requests },
      }),
    ],
  });
}

beforeEach(async () => {
  issuer = await testIssuer();
  delivered = [];
  outcome = (e) => ({ id: e.id, status: 'acked' });
  deadLetters = new DeadLetters();
  messages = countingCounter();
  requests = countingCounter();
  token = await issuer.sign(pushClaims());
  await start(issuer.jwks);
});

afterEach(async () => {
  await server.stop(100);
});

function post(
  body: unknown,
  authorization: string | null = `Bearer ${token}`,
  path = '/pubsub/push',
): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === null ? {} : { authorization }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const bucketPush = () => nativeFixture('pubsub-push-feed-bucket.json') as Json;

describe('authentication', () => {
  it('delivers a push whose token is Google-signed for the audience and the push account', async () => {
    const response = await post(bucketPush());
    expect(response.status).toBe(204);
    expect(delivered.map((e) => e.id)).toEqual(['13171244867921447']);
  });

  it('takes the issuer in both spellings Google uses', async () => {
    token = await issuer.sign(pushClaims(), { issuer: 'accounts.google.com' });
    expect((await post(bucketPush())).status).toBe(204);
    expect(delivered).toHaveLength(1);
  });

  it('reads the key set from a JWKS file (air-gapped installs, tests)', async () => {
    await server.stop(100);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'drift-jwks-')), 'jwks.json');
    await writeFile(file, JSON.stringify(issuer.jwks));
    await start(file);
    expect((await post(bucketPush())).status).toBe(204);
  });

  it.each<[string, () => Promise<string | null>, string]>([
    ['no Authorization header', async () => null, 'missing'],
    ['another scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, 'malformed'],
    [
      'a token signed by another key',
      async () => `Bearer ${await (await testIssuer()).sign(pushClaims())}`,
      'bad_signature',
    ],
    [
      'an expired token',
      async () =>
        `Bearer ${await issuer.sign(pushClaims(), { expiresAt: Math.floor(Date.now() / 1000) - 3600 })}`,
      'expired',
    ],
    [
      'another audience (a token meant for another endpoint)',
      async () => `Bearer ${await issuer.sign(pushClaims({ aud: 'https://other.example.com/' }))}`,
      'wrong_audience',
    ],
    [
      'another issuer',
      async () =>
        `Bearer ${await issuer.sign(pushClaims(), { issuer: 'https://evil.example.com' })}`,
      'wrong_issuer',
    ],
    [
      "another service account's token",
      async () =>
        `Bearer ${await issuer.sign(pushClaims({ email: 'someone@other-project.iam.gserviceaccount.com' }))}`,
      'wrong_claims',
    ],
    [
      'an unverified email',
      async () => `Bearer ${await issuer.sign(pushClaims({ email_verified: false }))}`,
      'wrong_claims',
    ],
    [
      'no email claim',
      async () => `Bearer ${await issuer.sign(pushClaims({ email: undefined }))}`,
      'wrong_claims',
    ],
  ])('answers 401 to %s and processes nothing', async (_, authorization, reason) => {
    const response = await post(bucketPush(), await authorization());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    // Nothing of why: a caller that failed learns nothing.
    expect(await response.text()).toBe('unauthorized\n');
    expect(delivered).toEqual([]);
    expect(deadLetters.items).toEqual([]);
    expect(requests.get(`status=401,reason=${reason}`)).toBe(1);
  });

  it('does not even dead-letter an unreadable body from a caller that is not authenticated', async () => {
    expect((await post('not json', null)).status).toBe(401);
    expect(deadLetters.items).toEqual([]);
  });

  it('refuses to start without a push service account', () => {
    expect(() =>
      pubsubPushAuthenticator({ audience: AUDIENCE, serviceAccountEmail: ' ', jwks: issuer.jwks }),
    ).toThrow(/service account/);
  });
});

describe('deliveries', () => {
  it('hands one event per push: id = messageId, body = the envelope, source = subscription/messageId', async () => {
    const push = bucketPush();
    expect((await post(push)).status).toBe(204);
    expect(delivered).toEqual([
      {
        id: '13171244867921447',
        body: push,
        receiveCount: 1,
        source: `pubsub:${SUBSCRIPTION}/13171244867921447`,
      },
    ]);
    expect(messages.get('outcome=received,reason=change')).toBe(1);
    expect(requests.get('status=204,reason=delivered')).toBe(1);
  });

  it('counts deliveryAttempt (set with a dead-letter policy) as the receive count', async () => {
    const push = { ...bucketPush(), deliveryAttempt: 4 };
    expect((await post(push)).status).toBe(204);
    expect(delivered[0]?.receiveCount).toBe(4);
  });

  it('delivers a deletion as well', async () => {
    const deleted = nativeFixture('feed-temporal-asset-deleted.json') as Json;
    expect((await post(pushOf(deleted))).status).toBe(204);
    expect(delivered).toHaveLength(1);
    expect(messages.get('outcome=received,reason=deletion')).toBe(1);
  });

  it('delivers a sweep request (a scheduler published it to the same topic) like a feed message', async () => {
    const push = pushOf(
      JSON.parse(sweepRequestText({ cloud: 'gcp', shard: 'projects/dd-fixtures-prod' })) as Json,
    );
    const response = await post(push);
    expect(response.status).toBe(204);
    expect(delivered).toEqual([expect.objectContaining({ body: push, receiveCount: 1 })]);
    expect(deadLetters.items).toEqual([]);
    expect(messages.get('outcome=received,reason=sweep_request')).toBe(1);
    expect(requests.get('status=204,reason=delivered')).toBe(1);
  });

  it("acknowledges the feed's welcome message without handing anything over", async () => {
    const response = await post(nativeFixture('pubsub-push-feed-welcome.json'));
    expect(response.status).toBe(204);
    expect(delivered).toEqual([]);
    expect(deadLetters.items).toEqual([]);
    expect(messages.get('outcome=ignored,reason=welcome')).toBe(1);
  });

  it('answers 503 with Retry-After when the pipeline nacks, so Pub/Sub redelivers', async () => {
    outcome = (e) => ({
      id: e.id,
      status: 'nacked',
      reason: 'Cloud Asset UNAVAILABLE',
      retryAfterMs: 4200,
    });
    const response = await post(bucketPush());
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.text()).toMatch(/Cloud Asset UNAVAILABLE/);
    expect(requests.get('status=503,reason=retry')).toBe(1);
  });

  it('answers 503 when the pipeline refuses it (draining, full, out of time)', async () => {
    outcome = (e) => ({ id: e.id, status: 'refused', reason: 'closing' });
    expect((await post(bucketPush())).status).toBe(503);
  });

  it('answers 405 to anything but POST', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/pubsub/push`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('messages that can never be read', () => {
  const push = bucketPush();
  const message = push['message'] as Json;
  it.each<[string, unknown, string, RegExp]>([
    ['a body that is not JSON', '{"message": ', 'bad_json', /not JSON/],
    ['JSON that is no push envelope', { hello: 'world' }, 'not_a_push', /not a Pub\/Sub push/],
    [
      'a push without messageId',
      { subscription: SUBSCRIPTION, message: { data: message['data'] } },
      'not_a_push',
      /no messageId/,
    ],
    [
      'data that is not base64',
      { ...push, message: { ...message, data: '%%% not base64 %%%' } },
      'bad_data',
      /not base64/,
    ],
    [
      'data that is not JSON',
      { ...push, message: { ...message, data: Buffer.from('{oops').toString('base64') } },
      'bad_data',
      /not JSON/,
    ],
    [
      'data that is JSON but no TemporalAsset',
      pushOf({ kind: 'storage#object', name: 'report.csv' }),
      'not_a_feed_message',
      /not a TemporalAsset/,
    ],
    [
      'a TemporalAsset whose asset has no name',
      pushOf({ asset: { assetType: 'storage.googleapis.com/Bucket' }, window: {} }),
      'not_a_feed_message',
      /no full resource name/,
    ],
    [
      'a sweep request that names no shard',
      pushOf({ kind: 'drift-detective/sweep-shard', v: 1, cloud: 'gcp' }),
      'bad_sweep_request',
      /^unreadable \(bad_sweep_request\): sweep request names no shard$/,
    ],
    [
      'a sweep request of a version this adapter does not read',
      pushOf({ kind: 'drift-detective/sweep-shard', v: 2, cloud: 'gcp', shard: 'projects/p1' }),
      'bad_sweep_request',
      /has version 2; this adapter reads version 1/,
    ],
  ])('dead-letters %s, counts it and acknowledges it (2xx)', async (_, body, code, reason) => {
    const response = await post(body);
    expect(response.status).toBe(204);
    expect(delivered).toEqual([]);
    expect(deadLetters.items).toHaveLength(1);
    expect(deadLetters.items[0]?.reason).toMatch(new RegExp(`^unreadable \\(${code}\\): `));
    expect(deadLetters.items[0]?.reason).toMatch(reason);
    // The body as delivered, for whoever looks into it.
    expect(deadLetters.items[0]?.body).toEqual(body);
    expect(messages.get(`outcome=unreadable,reason=${code}`)).toBe(1);
    expect(requests.get('status=204,reason=unreadable')).toBe(1);
  });

  it('keeps the messageId of an unreadable push, and gives a body without one a stable id', async () => {
    await post({ ...push, message: { ...message, data: '%%%' } });
    await post('not json');
    await post('not json');
    const [first, second, third] = deadLetters.items;
    expect(first?.id).toBe('13171244867921447');
    expect(first?.source).toBe(`pubsub:${SUBSCRIPTION}/13171244867921447`);
    expect(second?.id).toMatch(/^unreadable-[0-9a-f]{32}$/);
    expect(third?.id).toBe(second?.id);
  });

  it('answers 503 instead of acknowledging when the dead-letter sink fails', async () => {
    deadLetters.failing = true;
    const response = await post('not json');
    expect(response.status).toBe(503);
    expect(messages.get('outcome=unreadable,reason=bad_json')).toBe(0);
    expect(requests.get('status=503,reason=dead_letter_failed')).toBe(1);
  });
});
