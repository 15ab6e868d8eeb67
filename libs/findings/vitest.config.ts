import { projectTestConfig, SHARED_MODULES } from '../../vitest.shared.js';

export default projectTestConfig(import.meta.dirname, 'findings', SHARED_MODULES);
