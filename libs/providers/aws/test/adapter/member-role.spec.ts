// An aggregator sweep judges every account, but Security Hub takes a finding
// under the default product only from the account it belongs to. With a
// member role, each other account's findings go out under that role, assumed
// in that account; the adapter's own stay under its own credentials.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { SqliteStateStore } from '@drift-detective/findings';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { builtPolicyEngine, startMotoServer, type MotoServer } from '@drift-detective/testing';
import { awsSweep } from '../../src/adapter/sweep.js';
import { adapter, tempStore } from './harness.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SecurityHubPublisher } from '../../src/securityhub/publisher.js';
import { ACCOUNT, endpointClients, REGION, TEST_CREDENTIALS } from '../../src/testing/index.js';
import { newFinding, observationOf } from '../securityhub/records.js';

const MEMBER = '222222222222';
const ROLE = 'drift-detective-member';
let moto: MotoServer;
let engine: PolicyEngine;
let store: SqliteStateStore;

beforeAll(async () => {
  [moto, engine] = await Promise.all([startMotoServer(), builtPolicyEngine()]);
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(() => moto.reset());

/** Keys acting as `account`: moto's own, or the member role assumed there. */
async function credentialsOf(account: string) {
  let credentials = TEST_CREDENTIALS;
  if (account !== ACCOUNT) {
    const sts = new STSClient({ endpoint: moto.endpoint, region: REGION, credentials });
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/${ROLE}`,
        RoleSessionName: 'test',
      }),
    );
    credentials = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    } as typeof credentials;
  }
  return credentials;
}

/** What one account's Security Hub holds, read with that account's credentials. */
async function hubOf(account: string): Promise<string[]> {
  const credentials = await credentialsOf(account);
  const hub = new SecurityHubClient({ endpoint: moto.endpoint, region: REGION, credentials });
  const answer = await hub.send(new GetFindingsCommand({ MaxResults: 100 }));
  return (answer.Findings ?? []).map((f) => `${f.AwsAccountId} ${f.GeneratorId}`).sort();
}

describe('findings of other accounts', () => {
  it('go to their own account through the member role; the own account keeps its credentials', async () => {
    const own = await observationOf('dd-net-001-violating-ssh-open.json');
    const member = { ...own, account: MEMBER, resourceId: own.resourceId.replace(ACCOUNT, MEMBER) };
    expect(member.resourceId).toContain(MEMBER);
    const clients = endpointClients(moto.endpoint, ROLE);
    const publisher = new SecurityHubPublisher({
      clientFor: (region, account) => clients.securityHub(region, account),
      homeRegion: REGION,
    });
    await publisher.publish([
      newFinding(own, '2026-11-27T00:00:00Z'),
      newFinding(member, '2026-11-27T00:00:00Z'),
    ]);
    expect(await hubOf(ACCOUNT)).toEqual([`${ACCOUNT} DD-NET-001`]);
    expect(await hubOf(MEMBER)).toEqual([`${MEMBER} DD-NET-001`]);
    clients.destroy();
  });

  it('without a member role all go out under the own credentials, and the own hub holds them', async () => {
    const own = await observationOf('dd-net-001-violating-ssh-open.json');
    const member = { ...own, account: MEMBER, resourceId: own.resourceId.replace(ACCOUNT, MEMBER) };
    const clients = endpointClients(moto.endpoint);
    const publisher = new SecurityHubPublisher({
      clientFor: (region, account) => clients.securityHub(region, account),
      homeRegion: REGION,
    });
    await publisher.publish([newFinding(member, '2026-11-27T00:00:00Z')]);
    // moto accepts what real Security Hub refuses (AwsAccountId ≠ caller): it lands in the caller's hub.
    expect(await hubOf(ACCOUNT)).toEqual([`${MEMBER} DD-NET-001`]);
    expect(await hubOf(MEMBER)).toEqual([]);
    clients.destroy();
  });

  it("sweeps named accounts through the member role; each account's findings reach its own hub", async () => {
    for (const [account, bucket] of [
      [ACCOUNT, 'own-open'],
      [MEMBER, 'member-open'],
    ] as const) {
      const s3 = new S3Client({
        endpoint: moto.endpoint,
        region: REGION,
        credentials: await credentialsOf(account),
        forcePathStyle: true,
      });
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    store = await tempStore();
    const wired = adapter(moto.endpoint, engine, store, { accounts: [ACCOUNT, MEMBER] }, ROLE);
    const sweeps = await awsSweep(wired);
    wired.clients.destroy();
    expect(sweeps.map((s) => [s.account, s.region, s.completed])).toEqual([
      [ACCOUNT, REGION, true],
      [MEMBER, REGION, true],
    ]);
    expect((await hubOf(ACCOUNT)).filter((f) => f.endsWith('DD-STORAGE-001'))).toEqual([
      `${ACCOUNT} DD-STORAGE-001`,
    ]);
    expect((await hubOf(MEMBER)).filter((f) => f.endsWith('DD-STORAGE-001'))).toEqual([
      `${MEMBER} DD-STORAGE-001`,
    ]);
    await store.close();
  });

  it('refuses to sweep a named account without a member role to assume there', async () => {
    store = await tempStore();
    const wired = adapter(moto.endpoint, engine, store, { accounts: [MEMBER] });
    await expect(awsSweep(wired)).rejects.toThrow(
      /sweeping account 222222222222 needs a member role to assume there \(--member-role\); the credentials act as 123456789012/,
    );
    wired.clients.destroy();
    await store.close();
  });
});
