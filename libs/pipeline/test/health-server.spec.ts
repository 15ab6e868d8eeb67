import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics, startHealthServer } from '../src/index.js';

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
});
