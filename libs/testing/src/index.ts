export { assertValidResource, resourceSchemaErrors } from './resource-schema.js';
