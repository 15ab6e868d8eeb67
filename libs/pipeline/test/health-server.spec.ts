import { describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import {
  createPrometheusMetrics,
  DependencyHealth,
  ERROR_KINDS,
  startHealthServer,
} from '../src/index.js';

describe('startHealthServer', () => {
  it('serves liveness, readiness as it changes, and the metrics in Prometheus text', async () => {
    const metrics = createPrometheusMetrics();
    metrics.errors.inc({ kind: 'publish_rejected' });
    let ready = false;
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      ready: () => ready,
    });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const scrape = await fetch(`${base}/metrics`);
      expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await scrape.text()).toMatch(/^drift_errors_total\{kind="publish_rejected"\} 1$/m);
      expect((await fetch(`${base}/nothing`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.stop();
    }
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('says why it is not ready, from a readiness with a reason', async () => {
    const health = new DependencyHealth({ unreadyAfterMs: 0 });
    const metrics = createPrometheusMetrics();
    const server = await startHealthServer({
      port: 0,
      registry: metrics.registry,
      ready: () => health.readiness(),
    });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      expect(await (await fetch(`${base}/readyz`)).text()).toBe('ready\n');
      health.failed('source', new Error('connect ECONNREFUSED 127.0.0.1:1'));
      const answer = await fetch(`${base}/readyz`);
      expect(answer.status).toBe(503);
      expect(await answer.text()).toMatch(
        /^not ready: source failing for 0 s \(Error: connect ECONNREFUSED 127\.0\.0\.1:1\)\n$/,
      );
    } finally {
      await server.stop();
    }
  });

  it('listens on the loopback unless told otherwise', async () => {
    const server = await startHealthServer({
      port: 0,
      registry: createPrometheusMetrics().registry,
      ready: () => true,
    });
    try {
      expect(server.host).toBe('127.0.0.1');
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
      if (outside !== undefined) {
        await expect(fetch(`http://${outside}:${server.port}/healthz`)).rejects.toThrow();
      }
    } finally {
      await server.stop();
    }
  });

  it('shows every error kind at 0 before the first error', async () => {
    const metrics = createPrometheusMetrics();
    const text = await metrics.registry.metrics();
    for (const kind of ERROR_KINDS) {
      expect(text).toMatch(new RegExp(`^drift_errors_total\\{kind="${kind}"\\} 0$`, 'm'));
    }
    expect(ERROR_KINDS).toContain('receive');
  });
});
