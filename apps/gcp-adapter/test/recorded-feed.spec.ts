// A recorded Cloud Asset answer pushed as the feed would push it: the
// TemporalAsset of a real compute instance (batchGetAssetsHistory, as Google
// answered it; libs/providers/gcp/test/fixtures/corpus) put in a Pub/Sub push
// envelope, its window moved to now (Cloud Asset keeps 35 days of history).
// It goes through the whole endpoint: token, envelope, completion with its
// IAM policy, judgement; its deletion too. Nothing is dead-lettered.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startGcpStandIn, type GcpStandIn } from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterValue, scrape, startServe, stopServe, type Service } from './serve-support.js';
import { push, pushEnvelope, pushSigner, tempDir, type PushSigner } from './support.js';

const RECORDED = path.resolve(
  import.meta.dirname,
  '../../../libs/providers/gcp/test/fixtures/corpus/gcp/flight-cloudasset-batch-get-assets-history.json',
);

interface TemporalAsset {
  readonly window: { readonly startTime: string; readonly endTime?: string };
  readonly asset: Record<string, unknown> & { readonly name: string; readonly ancestors: string[] };
}

const recorded = (
  JSON.parse(readFileSync(RECORDED, 'utf8')) as { body: { assets: TemporalAsset[] } }
).body.assets[0]!;

describe('a recorded Cloud Asset TemporalAsset pushed as a feed message', () => {
  let standIn: GcpStandIn;
  let dir: string;
  let signer: PushSigner;
  let service: Service;

  beforeAll(async () => {
    // The stand-in holds the same asset, as an export line of it would.
    standIn = await startGcpStandIn({ seed: `${JSON.stringify(recorded.asset)}\n` });
    dir = await tempDir('drift-gcp-recorded-');
    signer = await pushSigner(dir);
    service = await startServe(standIn, path.join(dir, 'state.db'), signer, {
      DRIFT_DEAD_LETTER_FILE: path.join(dir, 'dead-letter.ndjson'),
    });
  });
  afterAll(async () => {
    await stopServe(service);
    await standIn.close();
  });

  it('is read, completed with its IAM policy and judged; its deletion too; nothing dead-lettered', async () => {
    expect(recorded.asset.ancestors).toContain('organizations/111442920246');
    const now = Date.now();
    const message = { ...recorded, window: { startTime: new Date(now - 1000).toISOString() } };
    const token = await signer.token();
    const first = await push(service.pushUrl, pushEnvelope(message).body, token);
    expect(first.status, first.text).toBe(204);
    // Completed through batchGetAssetsHistory under the organization, with the other half.
    const history = standIn
      .requests()
      .filter((e) => e.method === 'BatchGetAssetsHistory' && e.code === 0);
    expect(history.map((e) => e.request['contentType'])).toEqual(['IAM_POLICY']);
    expect(history[0]?.request['parent']).toBe('organizations/111442920246');

    const deleted = {
      asset: recorded.asset,
      window: { startTime: new Date(now).toISOString() },
      deleted: true,
    };
    const second = await push(service.pushUrl, pushEnvelope(deleted).body, token);
    expect(second.status, second.text).toBe(204);

    const metrics = await scrape(service.base);
    const messages = 'drift_gcp_pubsub_messages_total';
    expect(counterValue(metrics, messages, { outcome: 'received', reason: 'change' })).toBe(1);
    expect(counterValue(metrics, messages, { outcome: 'received', reason: 'deletion' })).toBe(1);
    expect(existsSync(path.join(dir, 'dead-letter.ndjson'))).toBe(false);
  });
});
