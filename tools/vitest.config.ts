import { projectTestConfig } from '../vitest.shared.js';

// Builds run OPA several times; give them room on a 2-core machine.
export default projectTestConfig(import.meta.dirname, 'tools', { testTimeout: 120_000 });
