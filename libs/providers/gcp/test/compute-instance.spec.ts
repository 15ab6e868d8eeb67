import { assertValidResource } from '@drift-detective/testing';
import type { ResourceOf } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { clone, flightBody, must, normalizeOne, type Expected } from './helpers.js';

type Instance = ResourceOf<'compute.instance'>;
type Data = Record<string, unknown>;

/** The recorded batchGetAssetsHistory answer: a real CAI TemporalAsset for one instance. */
const history = () => clone(flightBody('flight-cloudasset-batch-get-assets-history.json'));
const withData = (change: (data: Data) => void) => {
  const body = history() as { assets: { asset: { resource: { data: Data } } }[] };
  change(must(body.assets[0]).asset.resource.data);
  return body;
};
const nic = (data: Data) => must((data['networkInterfaces'] as Data[])[0]);

const cases: {
  title: string;
  document: () => unknown;
  expected: Expected<Instance>;
}[] = [
  {
    title: 'batchGetAssetsHistory: TERMINATED, an access config without natIP has no address now',
    document: history,
    expected: {
      id: '//compute.googleapis.com/projects/cloud-custodian/zones/us-central1-a/instances/instance-1',
      name: 'instance-1',
      account: '1098479648729',
      region: 'us-central1-a',
      tags: { quarantined: 'testing' },
      // No updateTime on the asset: the TemporalAsset window start is the observation time.
      observedAt: '2020-05-29T16:16:39.545214Z',
      properties: {
        state: 'TERMINATED',
        metadataTokensRequired: null,
        metadataEndpointEnabled: null,
        publicIps: [],
        identities: ['1098479648729-compute@developer.gserviceaccount.com'],
        ipForwarding: false,
        // No metadata on the instance: serial-port-enable is the project's, unknown here.
        serialPortEnabled: null,
        projectSshKeysBlocked: null,
        osLoginEnabled: null,
        shieldedVm: { secureBoot: false, vtpm: true, integrityMonitoring: true },
        managedDisks: null,
      },
    },
  },
  {
    title: 'natIP and externalIpv6 are public addresses',
    document: () =>
      withData((data) => {
        data['status'] = 'RUNNING';
        must((nic(data)['accessConfigs'] as Data[])[0])['natIP'] = '34.66.12.201';
        nic(data)['ipv6AccessConfigs'] = [
          {
            type: 'DIRECT_IPV6',
            name: 'external-ipv6',
            externalIpv6: '2600:1900:4000:9a1c::',
            externalIpv6PrefixLength: 96,
          },
        ];
      }),
    expected: {
      properties: { state: 'RUNNING', publicIps: ['2600:1900:4000:9a1c::', '34.66.12.201'] },
    },
  },
  {
    title: 'no serviceAccounts key: the instance runs as nobody',
    document: () => withData((data) => delete data['serviceAccounts']),
    expected: { properties: { identities: [] } },
  },
  {
    title: 'serial-port-enable read as Compute Engine reads it: 1 is on, an odd value unknown',
    document: () =>
      withData((data) => {
        data['metadata'] = { items: [{ key: 'serial-port-enable', value: '1' }] };
      }),
    expected: { properties: { serialPortEnabled: true } },
  },
  {
    title:
      'metadata without block-project-ssh-keys accepts the project keys; enable-oslogin FALSE is off',
    document: () =>
      withData((data) => {
        data['metadata'] = { items: [{ key: 'enable-oslogin', value: 'FALSE' }] };
      }),
    expected: { properties: { projectSshKeysBlocked: false, osLoginEnabled: false } },
  },
  {
    title: 'a serial-port-enable value that is no boolean is unknown',
    document: () =>
      withData((data) => {
        data['metadata'] = { items: [{ key: 'serial-port-enable', value: 'sometimes' }] };
      }),
    expected: { properties: { serialPortEnabled: null } },
  },
  {
    title:
      'no shieldedInstanceConfig, no canIpForward (an image without Shielded VM, a trimmed record): unknown',
    document: () =>
      withData((data) => {
        delete data['shieldedInstanceConfig'];
        delete data['canIpForward'];
      }),
    expected: { properties: { shieldedVm: null, ipForwarding: null } },
  },
  {
    title: 'no networkInterfaces key (a trimmed record): addresses unknown',
    document: () => withData((data) => delete data['networkInterfaces']),
    expected: { properties: { publicIps: null } },
  },
];

describe('compute.googleapis.com/Instance → compute.instance', () => {
  it.each(cases)('$title', ({ document, expected }) => {
    const resource = normalizeOne(document()) as Instance;
    assertValidResource(resource);
    expect(resource.kind).toBe('compute.instance');
    const { properties, ...top } = expected;
    expect(resource).toMatchObject(top);
    expect(resource.properties).toMatchObject(properties ?? {});
  });

  it('keeps int64 values as the source gives them in native (diskSizeGb "10")', () => {
    const resource = normalizeOne(history());
    const native = resource.native as { resource: { data: { disks: { diskSizeGb: unknown }[] } } };
    expect(must(native.resource.data.disks[0]).diskSizeGb).toBe('10');
  });
});
