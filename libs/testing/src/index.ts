export { assertValidResource, resourceSchemaErrors } from './resource-schema.js';
export { builtPolicyDir, builtPolicyEngine } from './built-policies.js';
