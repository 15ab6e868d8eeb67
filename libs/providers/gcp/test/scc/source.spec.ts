// The installation's source: found or created once, shared by concurrent first publishes,
// found again by display name by another publisher, and what a source failure does.
import { gcpFaults } from '@drift-detective/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SccPublishError } from '../../src/scc/index.js';
import { startHarness, type Harness } from './harness.js';
import { idOf, ORG_ID, record } from './records.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const sourceCalls = (h: Harness, start = 0) => h.calls(start).filter((c) => /Source/.test(c));

describe('the source', () => {
  it('is looked up and created once across many publishes, concurrent first ones included', async () => {
    const publisher = h.publisher();
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => publisher.publish([record({ id: idOf(i + 1) })])),
    );
    await publisher.publish([record({ id: idOf(9) })]);
    expect(sourceCalls(h)).toEqual(['ListSources OK', 'CreateSource OK']);
    expect(h.standIn.sources()).toEqual([
      expect.objectContaining({
        displayName: 'Drift Detective',
        description: expect.stringContaining('Drift Detective'),
      }),
    ]);
    expect(h.findings()).toHaveLength(6);
  });

  it('a second publisher (another process, a restart) finds it by display name', async () => {
    const first = h.publisher();
    await first.publish([record()]);
    const start = h.standIn.requests().length;
    const second = h.publisher();
    await second.publish([record({ pendingTransition: 'updated' })]);
    expect(await second.source()).toBe(await first.source());
    expect(sourceCalls(h, start)).toEqual(['ListSources OK']);
    expect(h.standIn.sources()).toHaveLength(1);
    expect(h.findings()).toHaveLength(1);
  });

  it('finds it past the first page of sources, and keeps each display name its own', async () => {
    // More sources than one page holds (ListSources serves at most 1000), ours the last.
    for (let i = 0; i < 1001; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, 1001 - i) }, (_, j) =>
          h.clients.scc.createSource({
            parent: `organizations/${ORG_ID}`,
            source: { displayName: `other ${i + j}` },
          }),
        ),
      );
    const [ours] = await h.clients.scc.createSource({
      parent: `organizations/${ORG_ID}`,
      source: { displayName: 'Drift Detective' },
    });
    const start = h.standIn.requests().length;
    const publisher = h.publisher();
    expect(await publisher.source()).toBe(ours.name);
    expect(sourceCalls(h, start)).toEqual(['ListSources OK', 'ListSources OK']);

    const staging = h.publisher({ sourceDisplayName: 'Drift Detective (staging)' });
    expect(await staging.source()).not.toBe(ours.name);
  });

  it('a source created by another process after our lookup is used, not duplicated', async () => {
    // Our ListSources sees none; the other process's CreateSource lands before ours.
    let listed = 0;
    h.standIn.setFaults((call) => {
      if (call.method === 'ListSources' && listed++ === 0)
        void h.clients.scc.createSource({
          parent: `organizations/${ORG_ID}`,
          source: { displayName: 'Drift Detective' },
        });
      return call.method === 'CreateSource' && call.index === 1 ? gcpFaults.delay(50) : null;
    });
    const publisher = h.publisher();
    await publisher.publish([record()]);
    expect(h.standIn.sources()).toHaveLength(1);
    expect(sourceCalls(h)).toContain('CreateSource ALREADY_EXISTS');
    expect(h.findings()).toHaveLength(1);
  });

  it('a source the identity may not see or create: every finding refused for good, and tried again next time', async () => {
    const publisher = h.publisher({ organization: '999' });
    const error = await publisher
      .publish([record(), record({ id: idOf(2) })])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SccPublishError);
    expect((error as SccPublishError).rejected).toEqual([
      { id: record().id, permanent: true, reason: expect.stringContaining('PERMISSION_DENIED') },
      { id: idOf(2), permanent: true, reason: expect.stringContaining('source') },
    ]);
    const start = h.standIn.requests().length;
    await publisher.publish([record()]).catch(() => undefined);
    expect(sourceCalls(h, start)).toEqual(['ListSources PERMISSION_DENIED']);
    expect(h.findings()).toEqual([]);
  });

  it('a source unavailable past the retries: the batch is refused for now, and the next publish writes it', async () => {
    h.standIn.setFaults((call) => (call.method === 'ListSources' ? gcpFaults.unavailable() : null));
    const publisher = h.publisher({
      retry: { baseMs: 1, capMs: 2, random: () => 0, maxRetries: 2 },
    });
    const error = await publisher.publish([record()]).catch((e: unknown) => e);
    expect((error as SccPublishError).rejected).toEqual([
      { id: record().id, permanent: false, reason: expect.stringContaining('UNAVAILABLE') },
    ]);
    expect(sourceCalls(h)).toEqual(Array(3).fill('ListSources UNAVAILABLE'));
    h.standIn.setFaults(() => null);
    await publisher.publish([record()]);
    expect(h.findings()).toHaveLength(1);
  });

  it('refuses settings that name no organization or an impossible display name', () => {
    expect(() => h.publisher({ organization: 'acme.example' })).toThrow(/numeric organization id/);
    expect(() => h.publisher({ organization: `organizations/${ORG_ID}` })).not.toThrow();
    expect(() => h.publisher({ sourceDisplayName: '' })).toThrow(/1 to 64/);
    expect(() => h.publisher({ sourceDisplayName: 'x'.repeat(65) })).toThrow(/1 to 64/);
    expect(() => h.publisher({ concurrency: 0 })).toThrow(/concurrency/);
  });
});
