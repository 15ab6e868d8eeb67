// nx run policies:build → dist/policies/{policy.wasm,manifest.json,bundle.tar.gz,capabilities.json}
import { policiesDir, policyDistDir } from '../paths.js';
import { runMain } from '../process.js';
import { buildPolicies } from './build.js';

await runMain(async () => {
  await buildPolicies({ sourceDir: policiesDir, outDir: policyDistDir });
});
