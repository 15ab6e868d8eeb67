export { awsInventory } from './inventory.js';
export { SUPPORTED_TYPES, NORMALIZERS } from './normalize/registry.js';
export { ACCOUNT_PUBLIC_ACCESS_BLOCK } from './normalize/s3-account-public-access-block.js';
export { accountPublicAccessBlockKey } from './decode/public-access-block.js';
export { captureTimeToRfc3339 } from './decode/capture-time.js';
export { decodePolicyDocument, policyStatements } from './decode/policy-document.js';
