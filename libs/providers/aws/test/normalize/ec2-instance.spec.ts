import { describe, expect, it } from 'vitest';
import { corpus, native, normalizeOne, propertiesOf } from '../helpers.js';

describe('AWS::EC2::Instance → compute.instance', () => {
  it.each([
    {
      name: '2016 item without metadataOptions: IMDS unknown; stopped, no public IP, no profile',
      document: () => corpus('aws/config-rule-event-ec2-instance.json'),
      expected: {
        state: 'stopped',
        metadataTokensRequired: null,
        metadataEndpointEnabled: null,
        publicIps: [],
        identities: [],
        ipForwarding: false,
        serialPortEnabled: null,
        projectSshKeysBlocked: null,
        osLoginEnabled: null,
        shieldedVm: null,
        managedDisks: null,
      },
    },
    {
      name: 'rdk example: httpTokens optional (IMDSv1 allowed), public address, no profile key',
      document: () => corpus('aws/rdk-ci-ec2-instance.json'),
      expected: {
        state: 'running',
        metadataTokensRequired: false,
        metadataEndpointEnabled: true,
        publicIps: ['34.205.29.138'],
        identities: null,
        ipForwarding: false,
        serialPortEnabled: null,
        projectSshKeysBlocked: null,
        osLoginEnabled: null,
        shieldedVm: null,
        managedDisks: null,
      },
    },
    {
      name: 'httpTokens required, instance profile',
      document: () => native('dd-compute-001-compliant-imds-required.json'),
      expected: {
        state: 'running',
        metadataTokensRequired: true,
        metadataEndpointEnabled: true,
        publicIps: [],
        identities: ['arn:aws:iam::123456789012:instance-profile/app-server'],
        // The item has no sourceDestCheck: unknown.
        ipForwarding: null,
        serialPortEnabled: null,
        projectSshKeysBlocked: null,
        osLoginEnabled: null,
        shieldedVm: null,
        managedDisks: null,
      },
    },
  ])('$name', ({ document, expected, name }) => {
    expect(propertiesOf(normalizeOne(document(), name), 'compute.instance')).toEqual(expected);
  });

  it('reads httpEndpoint disabled as the metadata service switched off', () => {
    const item = structuredClone(native('dd-compute-001-violating-imds-optional.json')) as {
      configuration: { metadataOptions: Record<string, unknown> };
    };
    item.configuration.metadataOptions['httpEndpoint'] = 'disabled';
    const properties = propertiesOf(normalizeOne(item, 'off'), 'compute.instance');
    expect(properties.metadataEndpointEnabled).toBe(false);
    expect(properties.metadataTokensRequired).toBe(false);
  });

  it('names the instance by its id when the item has no resourceName', () => {
    const resource = normalizeOne(corpus('aws/rdk-ci-ec2-instance.json'), 'rdk');
    expect(resource.name).toBe('i-03402838daac1d611');
  });
});
