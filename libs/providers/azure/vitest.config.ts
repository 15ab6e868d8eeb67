import path from 'node:path';
import { projectTestConfig, SHARED_MODULES } from '../../../vitest.shared.js';

export default projectTestConfig(import.meta.dirname, 'provider-azure', {
  ...SHARED_MODULES,
  // One test CA per run, trusted by every worker through NODE_EXTRA_CA_CERTS (Azure stand-in).
  globalSetup: [path.join(import.meta.dirname, '../../testing/src/azure/global-setup.ts')],
});
