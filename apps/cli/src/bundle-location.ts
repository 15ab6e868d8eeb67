import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Where the compiled policy bundle is: --bundle, else $DRIFT_POLICY_BUNDLE,
 * else the workspace's dist/policies (this file sits in apps/cli/dist or apps/cli/src).
 */
export function bundleLocation(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag) return path.resolve(flag);
  if (env['DRIFT_POLICY_BUNDLE']) return path.resolve(env['DRIFT_POLICY_BUNDLE']);
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', '..', '..', 'dist', 'policies');
}
