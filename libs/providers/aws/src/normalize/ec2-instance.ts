import { regionalArn } from '../decode/arn.js';
import {
  compareStrings,
  has,
  isRecord,
  nonEmptyString,
  own,
  type JsonObject,
} from '../decode/values.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::EC2::Instance → compute.instance.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html
 */
export const ec2Instance: TypeNormalizer<'compute.instance'> = {
  kind: 'compute.instance',

  arn: ({ configuration, region, account, resourceId }) => {
    const id = nonEmptyString(own(configuration, 'instanceId')) ?? resourceId;
    return regionalArn('ec2', region, account, id === null ? null : `instance/${id}`);
  },

  name: (configuration) => nonEmptyString(own(configuration, 'instanceId')),

  properties({ configuration }) {
    const state = own(configuration, 'state');
    const metadata = own(configuration, 'metadataOptions');
    return {
      state: isRecord(state) ? nonEmptyString(own(state, 'name')) : nonEmptyString(state),
      metadataTokensRequired: isRecord(metadata) ? httpTokens(own(metadata, 'httpTokens')) : null,
      metadataEndpointEnabled: isRecord(metadata)
        ? httpEndpoint(own(metadata, 'httpEndpoint'))
        : null,
      publicIps: publicIps(configuration),
      identities: identities(configuration),
      ipForwarding: sourceDestCheckOff(own(configuration, 'sourceDestCheck')),
      // EC2 serial console access is an account setting, and Nitro's secure boot is the AMI's.
      serialPortEnabled: null,
      // SSH keys and OS Login are GCP metadata notions.
      projectSshKeysBlocked: null,
      osLoginEnabled: null,
      shieldedVm: null,
      managedDisks: null,
    };
  },
};

/**
 * sourceDestCheck false lets the instance forward traffic neither from nor to it (NAT, routing
 * appliances): "This value must be false for a NAT instance to perform NAT."
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html
 * Absent (items that predate it): unknown.
 */
function sourceDestCheckOff(value: unknown): boolean | null {
  return typeof value === 'boolean' ? !value : null;
}

/**
 * IMDS: httpTokens "required" means IMDSv2 only, "optional" allows IMDSv1.
 * Items from before 2019 have no metadataOptions: unknown.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceMetadataOptionsResponse.html
 */
function httpTokens(value: unknown): boolean | null {
  return value === 'required' ? true : value === 'optional' ? false : null;
}

function httpEndpoint(value: unknown): boolean | null {
  return value === 'enabled' ? true : value === 'disabled' ? false : null;
}

/**
 * publicIpAddress and every public address associated with a network
 * interface. publicIpAddress null means no public address; without the key
 * and without interfaces the addresses are unknown, and so they are when any
 * of them has a type the API never writes (an address must not be dropped).
 */
function publicIps(configuration: JsonObject): string[] | null {
  const interfaces = own(configuration, 'networkInterfaces');
  if (!has(configuration, 'publicIpAddress') && !Array.isArray(interfaces)) return null;
  const ips = new Set<string>();
  if (!addAddress(ips, own(configuration, 'publicIpAddress'))) return null;
  for (const eni of Array.isArray(interfaces) ? interfaces : []) {
    if (!isRecord(eni) || !addAssociation(ips, own(eni, 'association'))) return null;
    const privates = own(eni, 'privateIpAddresses');
    for (const address of Array.isArray(privates) ? privates : []) {
      if (!isRecord(address) || !addAssociation(ips, own(address, 'association'))) return null;
    }
  }
  return [...ips].sort(compareStrings);
}

/** An association's publicIp; false when it cannot be read. Absent or null: none. */
function addAssociation(ips: Set<string>, association: unknown): boolean {
  if (association === undefined || association === null) return true;
  return isRecord(association) && addAddress(ips, own(association, 'publicIp'));
}

/** A public address; false when it cannot be read. Absent, null or "": none. */
function addAddress(ips: Set<string>, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (typeof value !== 'string') return false;
  ips.add(value);
  return true;
}

/** The instance profile ARN; [] when the item says there is none (null), null when it does not say. */
function identities(configuration: JsonObject): string[] | null {
  if (!has(configuration, 'iamInstanceProfile')) return null;
  const profile = own(configuration, 'iamInstanceProfile');
  if (profile === null) return [];
  const arn = isRecord(profile) ? nonEmptyString(own(profile, 'arn')) : null;
  return arn === null ? null : [arn];
}
