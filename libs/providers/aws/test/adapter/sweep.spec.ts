// awsSweep over several regions through moto: which region answers for IAM.
import { PutConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import type { SqliteStateStore } from '@drift-detective/findings';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine, startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlagValues } from '../../src/adapter/config.js';
import { awsSweep } from '../../src/adapter/sweep.js';
import { ACCOUNT, seedAccount } from '../../src/testing/index.js';
import { motoConfigClient } from '../config/moto.js';
import { adapter, tempStore } from './harness.js';

let moto: MotoServer;
let engine: PolicyEngine;
let store: SqliteStateStore;

beforeAll(async () => {
  [moto, engine] = await Promise.all([startMotoServer(), builtPolicyEngine()]);
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  store = await tempStore();
});
afterEach(() => store.close());

async function sweep(flags: FlagValues) {
  const wired = adapter(moto.endpoint, engine, store, flags);
  try {
    return await awsSweep(wired);
  } finally {
    wired.clients.destroy();
  }
}

/** The state of the admin role's DD-IAM-001 finding. */
const adminRoleFinding = () =>
  store
    .list()
    .filter((f) => f.ruleId === 'DD-IAM-001')
    .map((f) => [f.status, f.resolution]);

describe('awsSweep across regions', () => {
  it('resolves IAM findings as deleted only from the home region, though others record IAM too', async () => {
    const { deleteRole } = await seedAccount(moto.endpoint); // records IAM in us-east-1
    // An older setup: eu-west-1 records the global types as well.
    await motoConfigClient(moto.endpoint, 'eu-west-1').send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: {
          name: 'default',
          roleARN: `arn:aws:iam::${ACCOUNT}:role/config-recorder`,
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        },
      }),
    );
    const both = await sweep({ regions: ['us-east-1', 'eu-west-1'] });
    expect(both.map((s) => [s.region, s.completed])).toEqual([
      ['us-east-1', true],
      ['eu-west-1', true],
    ]);
    expect(adminRoleFinding()).toEqual([['ACTIVE', null]]);

    await deleteRole();
    // eu-west-1 no longer lists the role, but us-east-1 answers for IAM: nothing resolves.
    const [other] = await sweep({ regions: ['eu-west-1'], homeRegion: 'us-east-1' });
    expect(other).toMatchObject({ region: 'eu-west-1', completed: true, resolvedDeleted: 0 });
    expect(adminRoleFinding()).toEqual([['ACTIVE', null]]);

    // The home region's sweep (the first region by default) resolves it.
    const [home] = await sweep({ regions: ['us-east-1', 'eu-west-1'] });
    expect(home).toMatchObject({ region: 'us-east-1', completed: true, resolvedDeleted: 1 });
    expect(adminRoleFinding()).toEqual([['RESOLVED', 'deleted']]);
  }, 60_000);
});
