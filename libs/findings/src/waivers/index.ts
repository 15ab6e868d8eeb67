export { checkWaivers } from './check.js';
export type { WaiverCheck } from './check.js';
export { loadWaivers } from './load.js';
export { activeWaiver, waiverRefLookup } from './match.js';
export { parseWaivers } from './parse.js';
export { WaiverFileError } from './waiver.js';
export type { Waiver, WaiverProblem, WaiverSubject } from './waiver.js';
