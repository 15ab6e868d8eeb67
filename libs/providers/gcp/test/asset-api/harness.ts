// What the asset-api specs share: a seed export with RESOURCE, IAM_POLICY and ORG_POLICY
// records of the same assets, the stand-in serving it to the real client, and the
// normalization the pipeline runs on each sweep document.
import { readFileSync } from 'node:fs';
import { startGcpStandIn, type GcpStandIn } from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import path from 'node:path';
import type { SweepPage } from '@drift-detective/pipeline';
import { normalizeDocument } from '@drift-detective/pipeline';
import type { Resource } from '@drift-detective/resource-model';
import { gcpInventory } from '../../src/inventory.js';
import { createGcpClients, type GcpClients } from '../../src/grpc/clients.js';
import { nativeFixture } from '../helpers.js';

export const ORG = 'organizations/671234098812';
export const FOLDER = 'folders/302194586720';
export const PROJECT_NUMBER = '847203951166';
export const PROJECT_ID = 'dd-fixtures-prod';
export const ANCESTORS = [`projects/${PROJECT_NUMBER}`, FOLDER, ORG];

const sample = readFileSync(
  path.resolve(import.meta.dirname, '../../../../../samples/gcp/cloud-asset-export.ndjson'),
  'utf8',
);

/**
 * The sample export (buckets with their IAM_POLICY records, firewalls, SQL, KMS, and
 * project IAM_POLICY records without a RESOURCE record: the inventory's leftovers), plus the
 * project's RESOURCE record and ORG_POLICY records on the project (public access prevention
 * enforced, context for its buckets) and on its folder.
 */
export function seedLines(): string[] {
  const folderPolicy = {
    name: `//cloudresourcemanager.googleapis.com/${FOLDER}`,
    asset_type: 'cloudresourcemanager.googleapis.com/Folder',
    org_policy: [
      {
        version: 2,
        constraint: 'constraints/compute.requireOsLogin',
        etag: 'BwYBz9nyiLc=',
        update_time: '2025-06-18T12:41:03.883Z',
        boolean_policy: { enforced: true },
      },
    ],
    ancestors: [FOLDER, ORG],
    update_time: '2025-06-18T12:41:03.883Z',
  };
  return [
    ...sample.trim().split('\n'),
    JSON.stringify(nativeFixture('project-resource.json')),
    JSON.stringify(nativeFixture('org-policy-project-public-access-prevention.json')),
    JSON.stringify(folderPolicy),
  ];
}

export const seed = (lines: readonly string[] = seedLines()) => `${lines.join('\n')}\n`;

/** What the offline scan makes of an export: every record read with one inventory context. */
export function offlineResources(lines: readonly string[] = seedLines()): Resource[] {
  return normalize(lines.map((line) => JSON.parse(line) as unknown));
}

/** What the pipeline does with one sweep document. */
export const normalize = (document: unknown, source = 'doc'): Resource[] =>
  normalizeDocument(gcpInventory, document, source).resources;

export const byId = (resources: readonly Resource[]) =>
  [...resources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export const resourcesOf = (pages: readonly SweepPage[]) =>
  pages.flatMap((page) => page.documents.flatMap((document) => normalize(document, page.cursor)));

export async function pagesOf(reader: AsyncIterable<SweepPage>): Promise<SweepPage[]> {
  const pages: SweepPage[] = [];
  for await (const page of reader) pages.push(page);
  return pages;
}

/** The production clients (createGcpClients), plaintext to the stand-in. */
export function clientsFor(endpoint: string, requestTimeoutMs = 5_000): GcpClients {
  return createGcpClients({ endpoint, plaintext: true, requestTimeoutMs });
}

/** Backoff bounds that keep a fault test fast: no jitter, millisecond waits. */
export const FAST_RETRY = { baseMs: 1, capMs: 200, random: () => 0 } as const;

/**
 * The stand-in seeded with seed() and clients on it, for one spec file: started
 * before its tests, closed after, its faults cleared before each test.
 */
export function seededStandIn(): { readonly standIn: GcpStandIn; readonly clients: GcpClients } {
  const held: { standIn?: GcpStandIn; clients?: GcpClients } = {};
  beforeAll(async () => {
    held.standIn = await startGcpStandIn({ seed: seed() });
    held.clients = clientsFor(held.standIn.endpoint);
  });
  afterAll(async () => {
    await held.clients?.close();
    await held.standIn?.close();
  });
  beforeEach(() => held.standIn?.setFaults(() => null));
  return {
    get standIn() {
      if (held.standIn === undefined) throw new Error('the stand-in starts in beforeAll');
      return held.standIn;
    },
    get clients() {
      if (held.clients === undefined) throw new Error('the clients start in beforeAll');
      return held.clients;
    },
  };
}
