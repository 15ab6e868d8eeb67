// The Functions package as it is deployed: dist/function-app copied away from
// the workspace (a zip deployment has no node_modules), its main module
// imported by a worker process that calls the exported trigger handlers as the
// Functions host would, every Azure call through the real SDK clients to the
// HTTPS stand-in seeded with the sample inventory.
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startAzureStandIn,
  type AssessmentView,
  type AzureStandIn,
} from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  functionAppDir,
  idOf,
  SUBSCRIPTION,
  resourceEvent,
  sampleAnswer,
  sampleWith,
  startFunctionsWorker,
  validationDelivery,
  withProperties,
} from './webhook-support.js';

const SECRET = 'function-secret-0123456789';
/** The HTTP trigger's URL on the app (route "eventgrid" under the default /api prefix). */
const TRIGGER_URL = 'https://drift-detective-fn.azurewebsites.net/api/eventgrid';

let standIn: AzureStandIn;
let dir: string;
let deployed: string;

beforeAll(async () => {
  standIn = await startAzureStandIn({ seed: sampleAnswer() });
  dir = mkdtempSync(path.join(tmpdir(), 'drift-azure-functions-'));
  // Out of the workspace: nothing but the package's own files can be found from there.
  deployed = path.join(dir, 'wwwroot');
  cpSync(functionAppDir, deployed, { recursive: true });
});

afterAll(async () => {
  await standIn?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function assessmentsOf(name: string): AssessmentView[] {
  const prefix = `${idOf(name)}/providers/Microsoft.Security/assessments/`.toLowerCase();
  return standIn.assessments().filter((a) => a.id.toLowerCase().startsWith(prefix));
}

describe('the Functions package', () => {
  it('is what the Functions host loads: host.json 2.0 with a timeout, an ES module main, the policy', () => {
    const host = JSON.parse(readFileSync(path.join(deployed, 'host.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(host).toMatchObject({
      version: '2.0',
      // The Consumption plan's limit: the sweep stops a minute before it.
      functionTimeout: '00:10:00',
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle' },
    });
    const pkg = JSON.parse(readFileSync(path.join(deployed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pkg).toMatchObject({ type: 'module', main: 'index.mjs' });
    expect(existsSync(path.join(deployed, pkg['main'] as string))).toBe(true);
    // The policy beside the module, a WebAssembly binary.
    const wasm = readFileSync(path.join(deployed, 'policy.wasm'));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
  });

  it('sweeps on the timer, then judges an Event Grid delivery to the HTTP trigger', async () => {
    const state = path.join(dir, 'state', 'drift-state.db');
    const worker = startFunctionsWorker(path.join(deployed, 'index.mjs'), {
      ...standIn.env,
      DRIFT_STATE_PATH: state,
      DRIFT_AZURE_WEBHOOK_SECRET: SECRET,
      DRIFT_AZURE_SWEEP_SCHEDULE: '0 */30 * * * *',
      HOME: dir,
    });
    try {
      // The timer: one sweep of the sample's subscription.
      const sweep = await worker.timer();
      expect(sweep, worker.stderr()).toMatchObject({ ok: true });
      expect(sweep.logs.map((l) => l.message)).toEqual([
        expect.stringMatching(
          /^azure sweep 00000000-1111-2222-3333-444444444444: 23 resources in 2 pages, 0 resolved as deleted; findings: 11 opened, /,
        ),
      ]);
      expect(standIn.assessments().map((a) => a.properties.status.code)).toEqual(
        Array(11).fill('Unhealthy'),
      );
      expect(assessmentsOf('ddstor001public').map((a) => a.properties.status.cause)).toEqual([
        'DD-STORAGE-001',
      ]);
      expect(existsSync(state)).toBe(true);
      // Both triggers registered at import (the library in test mode says so instead).
      expect(worker.stderr()).toMatch(/register function "eventgrid"/);
      expect(worker.stderr()).toMatch(/register function "sweep"/);
      // No native addon in a zip deployment: the state is on node:sqlite.
      expect(worker.stdout()).toMatch(/"stateDriver":"node:sqlite"/);

      // Event Grid's handshake, through the trigger.
      const code = randomUUID();
      const validation = await worker.http({
        method: 'POST',
        url: `${TRIGGER_URL}?code=${SECRET}`,
        headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' },
        body: JSON.stringify(validationDelivery(code)),
      });
      expect(validation.status).toBe(200);
      expect(JSON.parse(validation.body ?? '')).toEqual({ validationResponse: code });

      // Someone fixes the account; Event Grid tells the trigger.
      standIn.replaceResources(
        sampleWith({ ddstor001public: withProperties({ allowBlobPublicAccess: false }) }),
      );
      const event = JSON.stringify([
        resourceEvent('event-grid-schema', 'write', idOf('ddstor001public'), {
          changedBy: 'bob@contoso.com',
        }),
      ]);
      const before = { writes: standIn.writes(), requests: standIn.requests().length };
      const stranger = await worker.http({
        method: 'POST',
        url: TRIGGER_URL,
        headers: { 'content-type': 'application/json' },
        body: event,
      });
      expect(stranger.status).toBe(401);
      const wrong = await worker.http({
        method: 'POST',
        url: `${TRIGGER_URL}?code=not-${SECRET}`,
        headers: { 'content-type': 'application/json' },
        body: event,
      });
      expect(wrong.status).toBe(401);
      // Turned away before anything was read or written.
      expect({ writes: standIn.writes(), requests: standIn.requests().length }).toEqual(before);
      expect(assessmentsOf('ddstor001public')[0]?.properties.status.code).toBe('Unhealthy');

      const delivered = await worker.http({
        method: 'POST',
        url: `${TRIGGER_URL}?code=${SECRET}`,
        headers: {
          'content-type': 'application/json',
          'aeg-event-type': 'Notification',
          'aeg-delivery-count': '0',
        },
        body: event,
      });
      expect(delivered.status).toBe(200);
      expect(JSON.parse(delivered.body ?? '')).toEqual({ received: 1, ignored: 0, rejected: [] });
      // Healthy by the time the trigger answers.
      expect(assessmentsOf('ddstor001public').map((a) => a.properties.status.code)).toEqual([
        'Healthy',
      ]);
      expect(standIn.writes()).toBe(before.writes + 1);
      const broken = standIn.requests().filter((r) => !r.requestValid || !r.answerValid);
      expect(broken).toEqual([]);
    } finally {
      expect(await worker.close(), worker.stderr()).toBe(0);
    }
  });

  it('with a timer per subscription, registers sweep-<subscription> each, which sweeps only its own', async () => {
    const other = '99999999-8888-7777-6666-555555555555';
    const worker = startFunctionsWorker(path.join(deployed, 'index.mjs'), {
      ...standIn.env,
      DRIFT_STATE_PATH: path.join(dir, 'per-subscription', 'drift-state.db'),
      DRIFT_AZURE_SUBSCRIPTIONS: `${SUBSCRIPTION},${other}`,
      DRIFT_AZURE_SWEEP_TIMER_PER_SUBSCRIPTION: 'true',
      DRIFT_AZURE_SWEEP_SCHEDULE: '0 */30 * * * *',
      HOME: dir,
    });
    try {
      const sweep = await worker.timer(SUBSCRIPTION);
      expect(sweep, worker.stderr()).toMatchObject({ ok: true });
      // One shard: its own line, nothing of the other subscription.
      expect(sweep.logs.map((l) => l.message)).toEqual([
        expect.stringMatching(new RegExp(`^azure sweep ${SUBSCRIPTION}: 23 resources in 2 pages`)),
      ]);
      expect(worker.stderr()).toMatch(new RegExp(`register function "sweep-${SUBSCRIPTION}"`));
      expect(worker.stderr()).toMatch(new RegExp(`register function "sweep-${other}"`));
      expect(worker.stderr()).not.toMatch(/register function "sweep"/);
    } finally {
      expect(await worker.close(), worker.stderr()).toBe(0);
    }
  });
});
