import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createPrometheusMetrics } from '../src/prometheus.js';

describe('Prometheus metrics', () => {
  it('exposes the pipeline series with their labels', async () => {
    const metrics = createPrometheusMetrics();
    metrics.events.inc({ outcome: 'acked' });
    metrics.events.inc({ outcome: 'acked' });
    metrics.transitions.inc({ transition: 'new' }, 3);
    metrics.errors.inc({ kind: 'publish' });
    metrics.evaluations.inc();
    metrics.publishDuration.observe(0.2);
    metrics.eventDuration.observe(0.04);
    metrics.eventDuration.observe(3);
    const text = await metrics.registry.metrics();
    expect(text).toContain('drift_events_total{outcome="acked"} 2');
    expect(text).toContain('drift_findings_transitions_total{transition="new"} 3');
    expect(text).toContain('drift_errors_total{kind="publish"} 1');
    expect(text).toContain('drift_evaluations_total 1');
    expect(text).toContain('drift_publish_duration_seconds_bucket{le="0.25"} 1');
    expect(text).toContain('drift_event_duration_seconds_bucket{le="0.05"} 1');
    expect(text).toContain('drift_event_duration_seconds_count 2');
  });
});

describe('createLogger', () => {
  it('writes one JSON object a line at the chosen level and redacts secrets', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const logger = createLogger({ level: 'info', destination: out });
    logger.debug({ hidden: true }, 'not at info');
    logger.info({ event: { id: 'e1', token: 'abc' } }, 'event acked');
    logger.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      msg: 'event acked',
      service: 'drift-detective',
      event: { id: 'e1', token: '[redacted]' },
    });
  });
});
