// awsSweep over several regions through moto: which region answers for IAM.
import { PutConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import type { FlagValues } from '../../src/adapter/config.js';
import { awsSweep } from '../../src/adapter/sweep.js';
import { ACCOUNT, seedAccount } from '../../src/testing/index.js';
import { motoConfigClient } from '../config/moto.js';
import { adapter, adapterSuite } from './harness.js';

const t = adapterSuite();

async function sweep(flags: FlagValues) {
  const wired = adapter(t.moto.endpoint, t.engine, t.store, flags);
  try {
    return await awsSweep(wired);
  } finally {
    wired.clients.destroy();
  }
}

/** The state of the admin role's DD-IAM-001 finding. */
const adminRoleFinding = async () =>
  (await t.store.list())
    .filter((f) => f.ruleId === 'DD-IAM-001')
    .map((f) => [f.status, f.resolution]);

describe('awsSweep across regions', () => {
  it('resolves IAM findings as deleted only from the home region, though others record IAM too', async () => {
    const { deleteRole } = await seedAccount(t.moto.endpoint); // records IAM in us-east-1
    // An older setup: eu-west-1 records the global types as well.
    await motoConfigClient(t.moto.endpoint, 'eu-west-1').send(
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
    expect(await adminRoleFinding()).toEqual([['ACTIVE', null]]);

    await deleteRole();
    // eu-west-1 no longer lists the role, but us-east-1 answers for IAM: nothing resolves.
    const [other] = await sweep({ regions: ['eu-west-1'], homeRegion: 'us-east-1' });
    expect(other).toMatchObject({ region: 'eu-west-1', completed: true, resolvedDeleted: 0 });
    expect(await adminRoleFinding()).toEqual([['ACTIVE', null]]);

    // The home region's sweep (the first region by default) resolves it.
    const [home] = await sweep({ regions: ['us-east-1', 'eu-west-1'] });
    expect(home).toMatchObject({ region: 'us-east-1', completed: true, resolvedDeleted: 1 });
    expect(await adminRoleFinding()).toEqual([['RESOLVED', 'deleted']]);
  }, 60_000);
});

describe('awsSweep summaries', () => {
  it('count what happened to findings in each run: opened, updated, resolved, reopened', async () => {
    const { blockBucket, deleteRole } = await seedAccount(t.moto.endpoint);
    const none = { new: 0, updated: 0, resolved: 0, reopened: 0, suppressed: 0, unsuppressed: 0 };

    const [first] = await sweep({});
    const opened = (await t.store.list()).length;
    expect(opened).toBeGreaterThan(1);
    expect(first?.findings).toMatchObject({ ...none, new: opened });

    const [again] = await sweep({});
    expect(again?.findings).toMatchObject(none);

    // The bucket fixed (resolved as compliant), the role deleted (resolved as deleted).
    await blockBucket('open-bucket');
    await deleteRole();
    const [third] = await sweep({});
    const resolved = (await t.store.list()).filter((f) => f.status === 'RESOLVED');
    expect(resolved.map((f) => f.resolution)).toEqual(
      expect.arrayContaining(['compliant', 'deleted']),
    );
    expect(third).toMatchObject({ completed: true, resolvedDeleted: 1 });
    expect(third?.findings).toMatchObject({ ...none, resolved: resolved.length });
  }, 60_000);
});
