export { findingId } from './identity.js';
export type { FindingKey } from './identity.js';
