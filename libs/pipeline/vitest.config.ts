import { projectTestConfig, SHARED_MODULES } from '../../vitest.shared.js';

export default projectTestConfig(import.meta.dirname, 'pipeline', SHARED_MODULES);
