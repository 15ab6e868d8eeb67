import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine } from '@drift-detective/testing';
import { PassThrough, Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryMetrics,
  JsonLinesPublisher,
  runEvents,
  type PipelineLogger,
} from '../src/index.js';
import {
  ACCOUNT,
  arn,
  events,
  RecordingDeadLetter,
  tempStore,
  TestEvent,
  testInventory,
} from './fixtures.js';

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await builtPolicyEngine();
});

describe('JsonLinesPublisher', () => {
  it('writes one JSON line per finding with its pending transition', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const { store } = await tempStore();
    const e = new TestEvent('e1', { items: [{ name: 'web', public: true }] });
    await runEvents(events(e), {
      inventory: testInventory,
      engine,
      store,
      publisher: new JsonLinesPublisher(out),
      deadLetter: new RecordingDeadLetter(),
    });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    const [stored] = await store.list();
    expect(line).toMatchObject({
      id: stored?.id,
      ruleId: 'DD-STORAGE-001',
      status: 'ACTIVE',
      transition: 'new',
      severity: 'HIGH',
      resourceId: arn('web'),
      account: ACCOUNT,
      provider: 'aws',
      contentHash: stored?.contentHash,
    });
    expect(typeof line['message']).toBe('string');
    // The native payload never goes out.
    expect(line).not.toHaveProperty('native');
    await store.close();
  });

  it('throws when the write fails, so the event is retried and nothing is marked published', async () => {
    const broken = new Writable({
      write: (_chunk, _encoding, callback) => callback(new Error('disk full')),
    });
    const { store } = await tempStore();
    const metrics = createMemoryMetrics();
    const warnings: Record<string, unknown>[] = [];
    const logger: PipelineLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (fields) => void warnings.push(fields),
      error: () => undefined,
    };
    const e = new TestEvent('e1', { items: [{ name: 'web', public: true }] });
    await runEvents(events(e), {
      inventory: testInventory,
      engine,
      store,
      publisher: new JsonLinesPublisher(broken),
      deadLetter: new RecordingDeadLetter(),
      metrics,
      logger,
    });
    expect(e.acked).toBe(false);
    expect(e.nacked?.reason).toMatch(/disk full/);
    expect((await store.unpublished()).map((f) => f.publishedAt)).toEqual([null]);
    expect(metrics.value('drift_events_total', { outcome: 'retried' })).toBe(1);
    expect(metrics.value('drift_errors_total', { kind: 'publish' })).toBe(1);
    expect(warnings).toEqual([
      expect.objectContaining({
        eventId: 'e1',
        reason: expect.stringMatching(/disk full/) as string,
      }),
    ]);
    // Logs carry ids and reasons, never the event's payload.
    expect(JSON.stringify(warnings)).not.toContain('"items"');
    await store.close();
  });
});
