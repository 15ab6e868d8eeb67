import { projectTestConfig } from '../../vitest.shared.js';

export default projectTestConfig(import.meta.dirname, 'aws-deploy', { testTimeout: 120_000 });
