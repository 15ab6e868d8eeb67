// Measures the Azure webhook's event path against the Azure stand-in (in a
// process of its own, as the cloud is, over HTTPS with its own CA, trusted the
// standard way, through NODE_EXTRA_CA_CERTS): Event Grid ResourceWriteSuccess
// notices of copies of the sample's storage accounts (Microsoft's example
// event, its resource rewritten), each after the account's
// allowBlobPublicAccess was flipped in the stand-in, so each changes a finding;
// handed to the webhook's route as Event Grid delivers them (its
// authentication aside), re-read through ARM, judged, saved and written to
// Defender for Cloud as assessments, all through the official SDK clients.
// The ceiling (which includes the bench's own change to the stand-in before
// each event, one more HTTPS round trip), then p50/p99 at half of it: receipt
// to ack, and the adapter's own part (drift_event_own_duration_seconds: the
// hub's calls taken off).
//   npx tsx --conditions=development tools/bench/azure-events.ts [events]
// Node reads NODE_EXTRA_CA_CERTS only as it starts: the benchmark starts the
// stand-in, then runs itself again with the stand-in's environment.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PolicyEngine } from '@drift-detective/policy-engine';
import {
  azureServe,
  eventGridHandler,
  openAzureRuntime,
  resolveAzureConfig,
} from '@drift-detective/provider-azure';
import { azureSpecsDir } from '@drift-detective/testing';
import { writeEventResults } from './event-results.js';
import { azureEventResources, type AzureRow } from './event-resources.js';
import { policyDistDir } from './paths.js';
import {
  admitAll,
  measurePushEvents,
  openEndpoint,
  startStandInProcess,
  type Endpoint,
  type PushRequest,
} from './push-events.js';

const events = Number(process.argv[2] ?? 400);
const STAND_IN_ENV = 'DRIFT_BENCH_AZURE_STAND_IN';

if (process.env[STAND_IN_ENV] === undefined) {
  const standIn = await startStandInProcess('azure');
  try {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, ...standIn.env, [STAND_IN_ENV]: '1' },
      stdio: 'inherit',
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    process.exitCode = code ?? 1;
  } finally {
    standIn.stop();
  }
} else {
  await measure();
}

async function measure(): Promise<void> {
  /** Copies of the sample's storage accounts, held by the stand-in. */
  const { accounts } = azureEventResources();
  const example = JSON.parse(
    readFileSync(
      path.join(
        azureSpecsDir(),
        'specification/eventgrid/data-plane/Microsoft.Resources/stable/2018-01-01/examples/event-grid-schema/resource_write_success.json',
      ),
      'utf8',
    ),
  ) as Record<string, unknown> & { data: Record<string, unknown> };
  const endpoint = process.env['DRIFT_AZURE_RESOURCE_MANAGER_ENDPOINT'] ?? '';

  /**
   * Event `i`: account `i mod n` with blob public access allowed every other
   * time it comes round, written to the stand-in (its admin API, as a change
   * in ARM), then Microsoft's ResourceWriteSuccess example about it, delivered
   * as Event Grid delivers it (an array, in the Event Grid schema).
   */
  async function eventOf(run: string, i: number): Promise<PushRequest> {
    const account = accounts[i % accounts.length] as AzureRow;
    const open = Math.floor(i / accounts.length) % 2 === 0;
    const properties = { ...(account['properties'] as object), allowBlobPublicAccess: open };
    const row = { ...account, properties };
    const changed = await fetch(`${endpoint}/_standin/resources`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(row),
    });
    if (!changed.ok) throw new Error(`the stand-in refused the change: ${changed.status}`);
    const action = 'Microsoft.Storage/storageAccounts/write';
    const event = {
      ...example,
      id: `${run}-${i}`,
      eventTime: new Date().toISOString(),
      subject: account.id,
      topic: account.id.slice(0, account.id.toLowerCase().indexOf('/providers/')),
      data: {
        ...example.data,
        authorization: { ...(example.data['authorization'] as object), scope: account.id, action },
        resourceProvider: 'Microsoft.Storage',
        resourceUri: account.id,
        operationName: action,
        subscriptionId: account['subscriptionId'],
      },
    };
    return {
      body: [event],
      headers: { 'aeg-event-type': 'Notification', 'aeg-subscription-name': 'drift-bench' },
    };
  }

  const engine = await PolicyEngine.load(policyDistDir);
  /** The endpoint as `azure serve` wires it. */
  const start = (statePath: string): Promise<Endpoint> =>
    openEndpoint({
      config: resolveAzureConfig({ env: { ...process.env, DRIFT_STATE_PATH: statePath } }),
      engine,
      open: openAzureRuntime,
      serve: (runtime, push, deadLetter) =>
        azureServe({ config: runtime.config, runtime, push, deadLetter }),
      route: (push) =>
        eventGridHandler({
          auth: admitAll,
          deliver: (events, signal) => push.deliver(events, signal),
        }),
    });
  await writeEventResults(
    await measurePushEvents({
      cloud: 'azure',
      hub: 'Defender for Cloud stand-in (HTTPS)',
      quota:
        'ARM throttling of reads and writes per subscription and principal (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling)',
      events,
      start,
      eventOf,
    }),
  );
}
