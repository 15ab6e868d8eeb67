// The least-privilege role of docs/azure.md against what the adapter really
// sends: every request of a management-group sweep, a sweep that deletes an
// assessment, and the event path's ARM reads of each supported type, each
// mapped to the Azure RBAC action that authorizes it. The documented Actions
// must be exactly that set: nothing the adapter needs missing, nothing extra.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@drift-detective/pipeline';
import { PolicyEngine } from '@drift-detective/policy-engine';
import {
  openAzureRuntime,
  readResourceForJudgement,
  resolveAzureConfig,
  SUPPORTED_TYPES,
} from '@drift-detective/provider-azure';
import {
  applyEnv,
  startAzureStandIn,
  type AzureStandIn,
  type JournalEntry,
} from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adapter,
  sampleRows,
  startRecordingTap,
  SUBSCRIPTION,
  sweepEnv,
  type RecordingTap,
  type Row,
  type TappedRequest,
} from './process-support.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const DOC = path.join(ROOT, 'docs', 'azure.md');
/** The built policy bundle the adapter process reads too. */
const POLICIES = path.join(ROOT, 'dist', 'policies');

interface RoleDefinition {
  readonly Actions: string[];
  readonly NotActions: string[];
  readonly DataActions: string[];
  readonly NotDataActions: string[];
}

/** The JSON block under "## Least-privilege role". */
function documentedRole(): RoleDefinition {
  const text = readFileSync(DOC, 'utf8');
  const section = text.slice(text.indexOf('## Least-privilege role'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (block === undefined)
    throw new Error('docs/azure.md has no JSON block under its role heading');
  return JSON.parse(block) as RoleDefinition;
}

/** Canonical ARM spelling of a type Resource Graph writes in lower case. */
const CANONICAL = new Map(Object.keys(SUPPORTED_TYPES).map((t) => [t.toLowerCase(), t]));

/**
 * The action an ARM request needs: the type it names (the namespace after the
 * last `/providers/`, then every other segment: a collection path names its
 * item type) and the verb: GET read, PUT write, DELETE delete.
 */
function armAction(method: string, requestPath: string): string {
  const segments = requestPath.replace(/^\/+|\/+$/g, '').split('/');
  const providers = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  if (providers < 0) throw new Error(`no provider in ${requestPath}`);
  const [namespace, ...rest] = segments.slice(providers + 1);
  const types = rest.filter((_, i) => i % 2 === 0);
  const verb = { GET: 'read', PUT: 'write', DELETE: 'delete' }[method];
  if (verb === undefined) throw new Error(`no RBAC verb for ${method} ${requestPath}`);
  return [namespace, ...types, verb].join('/');
}

/**
 * What a Resource Graph query needs beyond Microsoft.ResourceGraph/resources/read:
 * Resource Graph answers only with rows the caller may read, so the read of
 * each type the query asks for.
 */
function queryActions(query: string): { table: string; actions: string[] } {
  const table = /^\s*(\w+)/.exec(query)?.[1] ?? '';
  switch (table) {
    case 'resources': {
      const list = /type in~ \(([^)]*)\)/.exec(query)?.[1] ?? '';
      const types = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
      return { table, actions: types.map((t) => `${CANONICAL.get(t) ?? t}/read`) };
    }
    case 'authorizationresources':
      return { table, actions: ['Microsoft.Authorization/roleDefinitions/read'] };
    case 'resourcecontainers':
      return { table, actions: ['Microsoft.Resources/subscriptions/read'] };
    case 'resourcechanges':
      // The changes of resources the caller may read: their reads, asked for by `resources`.
      return { table, actions: [] };
    default:
      throw new Error(`a query of an unknown table: ${query}`);
  }
}

const RESOURCE_GRAPH = '/providers/microsoft.resourcegraph/resources';

function actionsOf(journal: readonly JournalEntry[], tapped: readonly TappedRequest[]) {
  const actions = new Set<string>();
  for (const entry of journal) {
    if (entry.operation === 'ManagedIdentityToken') continue;
    if (entry.path.toLowerCase() === RESOURCE_GRAPH)
      actions.add('Microsoft.ResourceGraph/resources/read');
    else actions.add(armAction(entry.method, entry.path));
  }
  const tables = new Set<string>();
  for (const request of tapped) {
    if (request.method !== 'POST' || !request.path.toLowerCase().startsWith(RESOURCE_GRAPH))
      continue;
    const { table, actions: needed } = queryActions(
      (JSON.parse(request.body) as { query: string }).query,
    );
    tables.add(table);
    for (const action of needed) actions.add(action);
  }
  return { actions, tables };
}

let azure: AzureStandIn;
let tap: RecordingTap;
let rows: Row[];

beforeAll(async () => {
  rows = sampleRows();
  azure = await startAzureStandIn({ seed: rows, managementGroups: { 'drift-mg': [SUBSCRIPTION] } });
  tap = await startRecordingTap(azure.endpoint);
});
afterAll(async () => {
  await tap?.close();
  await azure?.close();
});

/** One id of each supported type: a held resource's, else a made-up one in the sample's group. */
function idOfEachType(): [string, string][] {
  return Object.keys(SUPPORTED_TYPES).map((type) => {
    const held = rows.find((row) => row.type.toLowerCase() === type.toLowerCase());
    return [
      type,
      held?.id ??
        `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-drift/providers/${type}/dd-role-probe`,
    ];
  });
}

describe('the least-privilege role in docs/azure.md', () => {
  it('grants exactly the actions the adapter needs for what it sends', async () => {
    const statePath = path.join(
      await mkdtemp(path.join(tmpdir(), 'drift-azure-role-')),
      'state.db',
    );
    // The sweeps go through the tap, so the query texts are known.
    const env = sweepEnv(azure, statePath, {
      DRIFT_AZURE_SUBSCRIPTIONS: undefined,
      DRIFT_AZURE_RESOURCE_MANAGER_ENDPOINT: tap.endpoint,
    });
    const first = await adapter(['sweep', '--management-group', 'drift-mg'], env);
    expect(first.code).toBe(0);
    // A deleted resource: its assessment is deleted.
    azure.replaceResources(rows.filter((row) => row.name !== 'ddnet001-open-ssh'));
    const second = await adapter(['sweep', '--management-group', 'drift-mg'], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/1 resolved as deleted/);

    // The event path: each supported type re-read by id through ARM, on the clients the
    // adapter builds (DefaultAzureCredential, the managed identity) from the same settings.
    const restore = applyEnv(azure.env);
    const runtime = await openAzureRuntime({
      config: resolveAzureConfig({
        env: { ...azure.env, DRIFT_STATE_PATH: `${statePath}.events` },
      }),
      engine: await PolicyEngine.load(POLICIES),
      logger: silentLogger,
      dryRunOut: process.stdout,
    });
    try {
      for (const [type, id] of idOfEachType()) {
        const read = await readResourceForJudgement(runtime.clients, id);
        expect(read.status, type).not.toBe('unsupported');
      }
    } finally {
      await runtime.close();
      restore();
    }

    const journal = azure.requests();
    // Every call path was exercised: otherwise the role would be checked against too little.
    expect(new Set(journal.map((e) => e.operation))).toEqual(
      new Set([
        'ManagedIdentityToken',
        'Resources',
        'ResourceList',
        'ResourceGet',
        'AssessmentsMetadata_GetInSubscription',
        'AssessmentsMetadata_CreateInSubscription',
        'Assessments_CreateOrUpdate',
        'Assessments_Delete',
      ]),
    );
    const tapped = tap.requests();
    expect(tapped.filter((r) => r.method === 'POST')).toHaveLength(
      journal.filter((e) => e.operation === 'Resources').length,
    );
    const { actions, tables } = actionsOf(journal, tapped);
    expect(tables).toEqual(
      new Set(['resources', 'authorizationresources', 'resourcechanges', 'resourcecontainers']),
    );

    const role = documentedRole();
    expect([...role.Actions].sort()).toEqual([...actions].sort());
    expect(role.NotActions).toEqual([]);
    expect(role.DataActions).toEqual([]);
    expect(role.NotDataActions).toEqual([]);
  }, 60_000);
});
