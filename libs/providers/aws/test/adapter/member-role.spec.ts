// An aggregator sweep judges every account, but Security Hub takes a finding
// under the default product only from the account it belongs to. With a
// member role, each other account's findings go out under that role, assumed
// in that account; the adapter's own stay under its own credentials.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SecurityHubPublisher } from '../../src/securityhub/publisher.js';
import { ACCOUNT, endpointClients, REGION, TEST_CREDENTIALS } from '../../src/testing/index.js';
import { newFinding, observationOf } from '../securityhub/records.js';

const MEMBER = '222222222222';
const ROLE = 'drift-detective-member';
let moto: MotoServer;

beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(() => moto.reset());

/** What one account's Security Hub holds, read with that account's credentials. */
async function hubOf(account: string): Promise<string[]> {
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
});
