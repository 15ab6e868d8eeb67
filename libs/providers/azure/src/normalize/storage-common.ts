import type { PropertiesOf } from '@drift-detective/resource-model';

type StorageBucketProperties = PropertiesOf<'storage.bucket'>;

/** storage.bucket properties with every AWS- and GCP-only field null and nothing known yet. */
export function emptyStorageProperties(): StorageBucketProperties {
  return {
    publicAccessBlock: null,
    accountPublicAccessBlock: null,
    allowBlobPublicAccess: null,
    containerPublicAccess: null,
    publicAccessPrevention: null,
    publicAccessPreventionPolicy: null,
    aclGrants: null,
    policy: null,
    policyAbsent: null,
    iamBindings: null,
    encryption: { atRest: null, algorithm: null, keyId: null },
    transport: { httpsOnly: null, minimumTlsVersion: null },
    versioning: { enabled: null },
  };
}
