import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The workspace root, found from this file's place in `tools/src`. */
export const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const toolsBinDir = path.join(workspaceRoot, 'tools', 'bin');
export const goToolsDir = path.join(workspaceRoot, 'tools', 'go');
export const policiesDir = path.join(workspaceRoot, 'policies');
export const policyDistDir = path.join(workspaceRoot, 'dist', 'policies');
export const reportsDir = path.join(workspaceRoot, 'reports');
