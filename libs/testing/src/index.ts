export { assertValidResource, resourceSchemaErrors } from './resource-schema.js';
export { builtPolicyDir, builtPolicyEngine } from './built-policies.js';
export { defaultMotoServer, startMotoServer } from './moto-server.js';
export type { MotoServer } from './moto-server.js';
