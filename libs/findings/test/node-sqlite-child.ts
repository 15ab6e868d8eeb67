// Run by sqlite-driver.spec.ts on the Lambda runtime's Node (22): drives the
// state store through node:sqlite and prints what it holds as one JSON line.
import { SqliteStateStore } from '../src/store/sqlite-store.js';
import type { FindingRecord } from '../src/finding.js';

const [file, mode, recordJson] = process.argv.slice(2);
if (!file || (mode !== 'write' && mode !== 'read')) {
  throw new Error('usage: node-sqlite-child.ts FILE write RECORD_JSON | FILE read');
}
// DRIFT_CHILD_DRIVER=auto: let the store choose, as a bundle without the addon does.
const auto = process.env['DRIFT_CHILD_DRIVER'] === 'auto';
const store = new SqliteStateStore(file, auto ? {} : { driver: 'node:sqlite' });
if (mode === 'write') {
  const record = JSON.parse(recordJson ?? '{}') as FindingRecord;
  await store.save([record]);
  await store.savePage([{ ...record, id: `${record.id}-page` }], {
    sweepId: 'sweep-1',
    cursor: 'page-2',
    seen: [record.resourceId],
    skipped: 1,
    at: 'T2',
  });
  await store.markPublished([{ id: record.id, contentHash: record.contentHash }], 'T3');
}
process.stdout.write(
  `${JSON.stringify({
    driver: store.driver,
    node: process.version,
    list: (await store.list()).map((f) => [f.id, f.pendingTransition, f.publishedAt]),
    progress: (await store.sweepProgress('sweep-1')) ?? null,
  })}\n`,
);
await store.close();
