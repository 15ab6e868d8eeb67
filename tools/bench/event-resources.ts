// The resources an event benchmark changes, and the stand-in's seed that holds
// them: a cloud's sample with its storage accounts (Azure) or buckets (GCP)
// copied under new names, enough that no two events in flight at once are
// about the same resource (each then changes its finding, and none waits for
// another's lock).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from './paths.js';

/** Copies of each resource: with the samples' 10 accounts and 3 exposable buckets, over 64 in flight. */
export const REPLICAS = 24;

const sample = (file: string) => readFileSync(path.join(workspaceRoot, 'samples', file), 'utf8');

/** Every occurrence of `name` in `value` (a JSON value) as `renamed`. */
const renamed = <T>(value: T, name: string, to: string): T =>
  JSON.parse(JSON.stringify(value).split(name).join(to)) as T;

export type AzureRow = Record<string, unknown> & { id: string; name: string; type: string };

/** The sample's Resource Graph answer with `REPLICAS` copies of each storage account, and those copies. */
export function azureEventResources(): { seed: unknown; accounts: AzureRow[] } {
  const answer = JSON.parse(sample('azure/resource-graph-answer.json')) as { data: AzureRow[] };
  const originals = answer.data.filter(
    (row) => row.type.toLowerCase() === 'microsoft.storage/storageaccounts',
  );
  // Storage account names are 3–24 lower-case letters and digits.
  const accounts = originals.flatMap((row) =>
    Array.from({ length: REPLICAS }, (_, k) => renamed(row, row.name, `${row.name}r${k}`)),
  );
  const data = [...answer.data, ...accounts];
  return { seed: { ...answer, data, count: data.length, totalRecords: data.length }, accounts };
}

export type ExportRecord = Record<string, unknown> & { name: string; asset_type: string };

/** A bucket record's iamConfiguration.publicAccessPrevention, as the sample writes it. */
const preventionOf = (record: ExportRecord): unknown =>
  (record['resource'] as { data?: { iamConfiguration?: { publicAccessPrevention?: unknown } } })
    .data?.iamConfiguration?.publicAccessPrevention;

/** The sample's export (NDJSON) with `REPLICAS` copies of each bucket's records, and the copies' RESOURCE records. */
export function gcpEventResources(): { seed: string; buckets: ExportRecord[] } {
  const records = sample('gcp/cloud-asset-export.ndjson')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExportRecord);
  // Only buckets that do not enforce public access prevention: under it an allUsers grant
  // grants nothing and would change no finding.
  const originals = records.filter(
    (r) =>
      r.asset_type === 'storage.googleapis.com/Bucket' &&
      r['resource'] !== undefined &&
      preventionOf(r) !== 'enforced',
  );
  const copies = originals.flatMap((record) => {
    const bucket = record.name.slice(record.name.lastIndexOf('/') + 1);
    return Array.from({ length: REPLICAS }, (_, k) => renamed(record, bucket, `${bucket}-r${k}`));
  });
  const seed = [...records, ...copies].map((r) => JSON.stringify(r)).join('\n');
  return { seed: `${seed}\n`, buckets: copies };
}
