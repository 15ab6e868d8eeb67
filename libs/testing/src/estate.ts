// A deterministic estate of native inventories for the benchmarks: the
// samples of the three clouds (about half of their resources break a rule)
// replicated with unique ids, or a compliant-only variant, written as the
// exports the CLI scans — an AWS Config snapshot, a Resource Graph answer,
// a Cloud Asset NDJSON export — streamed, so a million resources need no
// more memory than one replica.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Writable } from 'node:stream';

export type Cloud = 'aws' | 'azure' | 'gcp';
export const CLOUDS: readonly Cloud[] = ['aws', 'azure', 'gcp'];

/** `mixed`: the samples as they are (about half violating); `compliant`: only resources that break nothing. */
export type Mix = 'mixed' | 'compliant';

type Json = Record<string, unknown>;

/** The workspace root, from this file's place (libs/testing/src, or dist when built). */
const workspaceRoot = path.resolve(import.meta.dirname, '..', '..', '..');

const SAMPLES = path.join(workspaceRoot, 'samples');

/** The records of a cloud's sample, one per resource state (GCP: one per asset content type). */
async function sampleRecords(cloud: Cloud): Promise<Json[]> {
  switch (cloud) {
    case 'aws':
      return (
        JSON.parse(await readFile(path.join(SAMPLES, 'aws', 'config-snapshot.json'), 'utf8')) as {
          configurationItems: Json[];
        }
      ).configurationItems;
    case 'azure':
      return (
        JSON.parse(
          await readFile(path.join(SAMPLES, 'azure', 'resource-graph-answer.json'), 'utf8'),
        ) as { data: Json[] }
      ).data;
    case 'gcp':
      return (await readFile(path.join(SAMPLES, 'gcp', 'cloud-asset-export.ndjson'), 'utf8'))
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Json);
  }
}

/** The id a record names its resource by: what replicas must make unique. */
export function resourceIdOf(cloud: Cloud, record: Json): string {
  const key = cloud === 'aws' ? 'ARN' : cloud === 'azure' ? 'id' : 'name';
  return String(record[key] ?? record['resourceId']);
}

/**
 * Replica `n` of a record: its identity made unique, everything else as in
 * the sample. AWS: the ARN, resource id and name get `-rN`. Azure: the
 * resource group becomes `rg-…-rN`, so a child row keeps its parent's id as
 * its prefix. GCP: the asset name gets `-rN`, the same for its RESOURCE and
 * IAM_POLICY records, which the scan merges by name.
 */
export function replicaOf(cloud: Cloud, record: Json, n: number): Json {
  const suffix = `-r${n}`;
  switch (cloud) {
    case 'aws': {
      const copy: Json = { ...record, ARN: `${String(record['ARN'])}${suffix}` };
      if (typeof record['resourceId'] === 'string')
        copy['resourceId'] = `${record['resourceId']}${suffix}`;
      if (typeof record['resourceName'] === 'string') {
        copy['resourceName'] = `${record['resourceName']}${suffix}`;
      }
      return copy;
    }
    case 'azure': {
      const text = JSON.stringify(record).replace(
        /\/resourceGroups\/([^/"]+)/gi,
        (_, group: string) => `/resourceGroups/${group}${suffix}`,
      );
      const copy = JSON.parse(text) as Json;
      if (typeof copy['resourceGroup'] === 'string') {
        copy['resourceGroup'] = `${copy['resourceGroup']}${suffix}`;
      }
      return copy;
    }
    case 'gcp':
      return { ...record, name: `${String(record['name'])}${suffix}` };
  }
}

/** What a generated estate holds. */
export interface Estate {
  readonly cloud: Cloud;
  readonly file: string;
  /** Native records written (GCP: RESOURCE and IAM_POLICY lines both). */
  readonly records: number;
  readonly replicas: number;
}

/**
 * The sample's records to replicate: all of them (`mixed`), or only those
 * whose resource has no finding in `violating` (`compliant`).
 */
async function templates(cloud: Cloud, mix: Mix, violating: ReadonlySet<string>): Promise<Json[]> {
  const records = await sampleRecords(cloud);
  if (mix === 'mixed') return records;
  // A child row (an Azure blob service) goes with its parent: prefixed by its id.
  const breaks = (id: string) => [...violating].some((v) => id === v || id.startsWith(`${v}/`));
  return records.filter((record) => !breaks(resourceIdOf(cloud, record).toLowerCase()));
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/**
 * Writes an estate of about `resources` records of one cloud, replica after
 * replica of its sample. `violating` names (lower-cased) the sample's
 * resources with a finding, for the compliant-only mix.
 */
export async function writeEstate(
  cloud: Cloud,
  file: string,
  options: {
    readonly resources: number;
    readonly mix: Mix;
    readonly violating: ReadonlySet<string>;
  },
): Promise<Estate> {
  const base = await templates(cloud, options.mix, options.violating);
  if (base.length === 0) throw new Error(`the ${cloud} sample has no ${options.mix} record`);
  const replicas = Math.max(1, Math.ceil(options.resources / base.length));
  const out = createWriteStream(file);
  const open = {
    aws: '{"fileVersion":"1.0","configSnapshotId":"bench","configurationItems":[\n',
    azure: `{"totalRecords":${replicas * base.length},"count":${replicas * base.length},"data":[\n`,
    gcp: '',
  }[cloud];
  await write(out, open);
  let records = 0;
  for (let n = 0; n < replicas; n++) {
    for (const record of base) {
      const text = JSON.stringify(replicaOf(cloud, record, n));
      await write(out, cloud === 'gcp' ? `${text}\n` : `${records === 0 ? '' : ',\n'}${text}`);
      records += 1;
    }
  }
  await write(
    out,
    cloud === 'aws' ? '\n]}\n' : cloud === 'azure' ? '\n],"resultTruncated":"false"}\n' : '',
  );
  out.end();
  await once(out, 'finish');
  return { cloud, file, records, replicas };
}
