import path from 'node:path';
import { PolicyEngine } from '@drift-detective/policy-engine';

/** dist/policies, written by `nx run policies:build` (test targets that use it depend on that). */
export const builtPolicyDir = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'dist',
  'policies',
);

let loading: Promise<PolicyEngine> | undefined;

/** The engine over the built bundle, loaded once per test process. */
export function builtPolicyEngine(): Promise<PolicyEngine> {
  loading ??= PolicyEngine.load(builtPolicyDir);
  return loading;
}
