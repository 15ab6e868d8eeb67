// Helpers for tests of this library and of the apps built on it
// (exported as @drift-detective/provider-aws/testing).
export * from './config-events.js';
export * from './account-block.js';
export * from './lambda-events.js';
export * from './moto-account.js';
