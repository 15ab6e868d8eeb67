import path from 'node:path';

/** The workspace root, found from this file's place in `tools/bench`. */
export const workspaceRoot = path.resolve(import.meta.dirname, '..', '..');
export const policyDistDir = path.join(workspaceRoot, 'dist', 'policies');
