import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../src/index.js';
import { healthRoutes } from '../../src/push/health-routes.js';
import { HttpError, jsonResponse, textResponse, type Route } from '../../src/push/http-route.js';
import { startHttpServer, type HttpServer } from '../../src/push/http-server.js';

/** Echoes the body's size; fails on demand. */
const echo: Route = {
  path: '/hook',
  async handle(request) {
    if (request.method !== 'POST')
      return textResponse(405, 'method not allowed', { allow: 'POST' });
    if (request.query.get('fail') === 'http') throw new HttpError(418, 'a teapot\nsays no');
    if (request.query.get('fail') === 'bug') throw new Error('secret internals');
    if (request.query.get('fail') === 'auth') return textResponse(401, 'unauthorized');
    const body = await request.body();
    return jsonResponse(200, { bytes: body.length });
  },
};

/** Never answers on its own: only its deadline ends it. */
const stuck: Route = {
  path: '/stuck',
  handle: (request) =>
    new Promise((resolve) =>
      request.signal.addEventListener('abort', () => resolve(textResponse(503, 'gave up'))),
    ),
};
const deaf: Route = { path: '/deaf', handle: () => new Promise(() => undefined) };

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.stop(100);
  server = undefined;
});

async function start(options: Partial<Parameters<typeof startHttpServer>[0]> = {}) {
  const metrics = createPrometheusMetrics();
  server = await startHttpServer({
    port: 0,
    routes: [...healthRoutes({ registry: metrics.registry, ready: () => true }), echo, stuck, deaf],
    maxBodyBytes: 1024,
    ...options,
  });
  return `http://127.0.0.1:${server.port}`;
}

/** A chunked POST with no Content-Length, so the limit is met while streaming. */
function chunkedPost(url: string, parts: number, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'transfer-encoding': 'chunked' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    for (let i = 0; i < parts; i++) req.write(Buffer.alloc(size, 97));
    req.end();
  });
}

describe('startHttpServer', () => {
  it('serves health, readiness, metrics and the webhook route on one port, loopback by default', async () => {
    const base = await start();
    expect(server?.host).toBe('127.0.0.1');
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/drift_errors_total/);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    const posted = await fetch(`${base}/hook`, { method: 'POST', body: 'hello' });
    expect([posted.status, await posted.json()]).toEqual([200, { bytes: 5 }]);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('answers 413 for a body over the limit, declared or streamed', async () => {
    const base = await start();
    const declared = await fetch(`${base}/hook`, { method: 'POST', body: 'x'.repeat(1025) });
    expect([declared.status, await declared.text()]).toEqual([
      413,
      'body larger than 1024 bytes\n',
    ]);
    expect(await chunkedPost(`${base}/hook`, 8, 512)).toBe(413);
    expect((await fetch(`${base}/hook`, { method: 'POST', body: 'x'.repeat(1024) })).status).toBe(
      200,
    );
  });

  it('turns errors into one-line answers and keeps internals out of them', async () => {
    const base = await start();
    const teapot = await fetch(`${base}/hook?fail=http`, { method: 'POST', body: '{}' });
    expect([teapot.status, await teapot.text()]).toEqual([418, 'a teapot says no\n']);
    const bug = await fetch(`${base}/hook?fail=bug`, { method: 'POST', body: '{}' });
    expect([bug.status, await bug.text()]).toEqual([500, 'internal error\n']);
    const turnedAway = await fetch(`${base}/hook?fail=auth`, { method: 'POST', body: '{}' });
    expect([turnedAway.status, turnedAway.headers.get('connection')]).toEqual([401, 'close']);
  });

  it('aborts a route at its deadline, and answers 503 itself when the route does not', async () => {
    const base = await start({ handlerTimeoutMs: 50 });
    const stopped = await fetch(`${base}/stuck`);
    expect([stopped.status, await stopped.text()]).toEqual([503, 'gave up\n']);
    const late = await fetch(`${base}/deaf`);
    expect([late.status, late.headers.get('retry-after')]).toEqual([503, '30']);
  });

  it('refuses two routes for one path', async () => {
    await expect(startHttpServer({ port: 0, routes: [echo, echo] })).rejects.toThrow(/two routes/);
  });
});
