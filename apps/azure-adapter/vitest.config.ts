import path from 'node:path';
import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig(import.meta.dirname, 'azure-adapter', {
  // One test CA per run, trusted by every worker and every process they start through
  // NODE_EXTRA_CA_CERTS (Azure stand-in).
  globalSetup: [path.join(import.meta.dirname, '../../libs/testing/src/azure/global-setup.ts')],
});
