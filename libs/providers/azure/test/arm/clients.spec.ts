import { describe, expect, it } from 'vitest';
import { AzureCallError, AzureTimeoutError } from '../../src/arm/call-errors.js';
import { armEndpoint, createAzureClients, type AzureClientOptions } from '../../src/arm/clients.js';
import { fakeCredential, fakeTransport, type Handler } from './fake-arm.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const OTHER_SUB = '00000000-0000-0000-0000-000000000002';
const ENDPOINT = 'https://management.example.test';

function clientsWith(handler: Handler, options: Partial<AzureClientOptions> = {}) {
  const transport = fakeTransport(handler);
  const credential = fakeCredential();
  const clients = createAzureClients({
    credential,
    endpoint: ENDPOINT,
    httpClient: transport,
    retry: { maxRetries: 2, baseMs: 1, capMs: 5 },
    ...options,
  });
  return { clients, transport, credential };
}

const ok = (body: unknown) => ({ status: 200, body });

describe('createAzureClients', () => {
  it('asks the token for the endpoint it calls (sovereign clouds included) and sends it', async () => {
    const { clients, transport, credential } = clientsWith(() => ok({ id: 'x' }), {
      endpoint: 'https://management.usgovcloudapi.net/',
    });
    await clients.armGet('/subscriptions/s/providers/X.Y/z/a', '2024-01-01');
    expect(credential.scopes).toEqual([['https://management.usgovcloudapi.net/.default']]);
    expect(transport.requests[0]?.headers['authorization']).toBe('Bearer test-token');
    expect(transport.requests[0]?.url.origin).toBe('https://management.usgovcloudapi.net');
  });

  it('defaults to the public cloud and refuses an endpoint that is not https', () => {
    expect(armEndpoint()).toBe('https://management.azure.com');
    expect(() => armEndpoint('http://management.azure.com')).toThrow(/must be https/);
    expect(() => armEndpoint('not a url')).toThrow(TypeError);
  });

  it('retries a server error and succeeds', async () => {
    let calls = 0;
    const { clients } = clientsWith(() => (++calls < 3 ? { status: 503 } : ok({ id: 'x' })));
    await expect(clients.armGet('/subscriptions/s', '2022-12-01')).resolves.toEqual({ id: 'x' });
    expect(calls).toBe(3);
  });

  // No jitter and a cap above what the answers ask, so the wait is exactly what was asked.
  const patient = { retry: { maxRetries: 2, baseMs: 1, capMs: 10_000, random: () => 0 } };

  it('retries a 429 without Retry-After too, and waits at least what retry-after-ms asks', async () => {
    const times: number[] = [];
    const { clients } = clientsWith(() => {
      times.push(Date.now());
      if (times.length === 1) return { status: 429 };
      if (times.length === 2) return { status: 429, headers: { 'retry-after-ms': '80' } };
      return ok({ id: 'x' });
    }, patient);
    await clients.armGet('/subscriptions/s', '2022-12-01');
    expect(times).toHaveLength(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(75);
  });

  it('gives up after maxRetries with one line naming the operation and the status', async () => {
    const { clients, transport } = clientsWith(() => ({
      status: 503,
      body: { error: { code: 'ServerBusy', message: 'busy\n  try later' } },
    }));
    const error = await clients.armGet('/subscriptions/s/x', '2022-12-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureCallError);
    expect((error as AzureCallError).message).toBe(
      'ARM GET /subscriptions/s/x failed: HTTP 503 ServerBusy: busy try later',
    );
    expect(transport.requests).toHaveLength(3);
  });

  it('does not retry a refusal (400/403/404) and keeps its status', async () => {
    const { clients, transport } = clientsWith(() => ({
      status: 404,
      body: { error: { code: 'ResourceNotFound', message: 'not found' } },
    }));
    const error = await clients.armGet('/subscriptions/s/x', '2022-12-01').catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'AzureCallError',
      statusCode: 404,
      code: 'ResourceNotFound',
    });
    expect(transport.requests).toHaveLength(1);
  });

  it('times out a hung attempt, retries it, then fails with AzureTimeoutError', async () => {
    const { clients, transport } = clientsWith(() => 'hang', {
      timeouts: { requestTimeoutMs: 40 },
    });
    const started = Date.now();
    const error = await clients.armGet('/subscriptions/s', '2022-12-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureTimeoutError);
    expect((error as Error).message).toMatch(/^ARM GET \/subscriptions\/s got no answer in time: /);
    expect(transport.requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("stops at the caller's abort without retrying and passes the AbortError on", async () => {
    const { clients, transport } = clientsWith(() => 'hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await clients
      .armGet('/subscriptions/s', '2022-12-01', controller.signal)
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(transport.requests).toHaveLength(1);
  });

  it('armList follows nextLink on the endpoint and refuses one to another host', async () => {
    const { clients } = clientsWith(({ url }) => {
      if (url.searchParams.get('page') === '2') return ok({ value: [{ id: 'b' }] });
      return ok({
        value: [{ id: 'a' }],
        nextLink: `${ENDPOINT}/subscriptions/s/list?page=2&api-version=1`,
      });
    });
    await expect(clients.armList('/subscriptions/s/list', '1')).resolves.toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);

    const { clients: leaky } = clientsWith(() =>
      ok({ value: [], nextLink: 'https://elsewhere.example.test/steal?api-version=1' }),
    );
    await expect(leaky.armList('/subscriptions/s/list', '1')).rejects.toThrow(/another host/);
  });

  it('armList refuses a page that names itself again', async () => {
    const { clients } = clientsWith(() =>
      ok({ value: [], nextLink: `${ENDPOINT}/subscriptions/s/list?api-version=1` }),
    );
    await expect(clients.armList('/subscriptions/s/list', '1')).rejects.toThrow(/would not end/);
  });

  it('Defender clients: one per subscription, each call to its own subscription', async () => {
    const { clients, transport } = clientsWith(({ url }) =>
      ok({ id: url.pathname, name: 'n', properties: { displayName: 'd' } }),
    );
    expect(clients.security(SUB)).toBe(clients.security(SUB));
    await Promise.all([
      clients.security(SUB).assessmentsMetadata.getInSubscription('m1'),
      clients.security(OTHER_SUB).assessmentsMetadata.getInSubscription('m2'),
    ]);
    const paths = transport.requests.map((r) => r.url.pathname).sort();
    expect(paths).toEqual([
      `/subscriptions/${SUB}/providers/Microsoft.Security/assessmentMetadata/m1`,
      `/subscriptions/${OTHER_SUB}/providers/Microsoft.Security/assessmentMetadata/m2`,
    ]);
    expect(
      transport.requests.every((r) => r.url.searchParams.get('api-version') === '2021-06-01'),
    ).toBe(true);
  });

  it('Resource Graph queries go to the endpoint with api-version 2024-04-01 and the $skipToken', async () => {
    const { clients, transport } = clientsWith(() =>
      ok({
        totalRecords: 1,
        count: 1,
        resultTruncated: 'false',
        data: [{ id: 'x' }],
        $skipToken: 'next',
      }),
    );
    const answer = await clients.resourceGraph.resources({
      query: 'resources | order by id asc',
      subscriptions: [SUB],
      options: { resultFormat: 'objectArray', top: 10, skipToken: 'prev' },
    });
    expect(answer.skipToken).toBe('next');
    const [request] = transport.requests;
    expect(request?.url.toString()).toBe(
      `${ENDPOINT}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`,
    );
    expect(request?.body).toEqual({
      query: 'resources | order by id asc',
      subscriptions: [SUB],
      options: { resultFormat: 'objectArray', $top: 10, $skipToken: 'prev' },
    });
  });

  it('never waits longer than the cap, whatever the answer asks', async () => {
    const times: number[] = [];
    const { clients } = clientsWith(() => {
      times.push(Date.now());
      return times.length === 1 ? { status: 429, headers: { 'retry-after': '3600' } } : ok({});
    });
    await clients.armGet('/subscriptions/s', '2022-12-01');
    expect(times[1]! - times[0]!).toBeLessThan(500);
  });

  it('waits for the Resource Graph quota to reset once it is used up, and only for queries', async () => {
    const times: number[] = [];
    const { clients } = clientsWith(({ url }) => {
      if (!url.pathname.includes('ResourceGraph')) return ok({ id: 'arm' });
      times.push(Date.now());
      return {
        status: 200,
        body: { totalRecords: 0, count: 0, resultTruncated: 'false', data: [] },
        headers:
          times.length === 1
            ? { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:01' }
            : { 'x-ms-user-quota-remaining': '14', 'x-ms-user-quota-resets-after': '00:00:05' },
      };
    }, patient);
    const query = { query: 'resources | order by id asc', subscriptions: [SUB] };
    await clients.resourceGraph.resources(query);
    const armStarted = Date.now();
    await clients.armGet('/subscriptions/s', '1');
    expect(Date.now() - armStarted).toBeLessThan(500);
    await clients.resourceGraph.resources(query);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });
});
