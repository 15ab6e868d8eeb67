// Shared Vitest settings: every project resolves workspace libs from source
// (the "development" export condition) and writes a JSON report that the test
// summary adds up.
import path from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const workspaceRoot = import.meta.dirname;
const conditions = ['development', 'node', 'import', 'default'];
const ssrConditions = ['development', 'node'];

/**
 * For suites of in-process code whose test files restore what they change: the
 * files one worker runs share the modules they import, instead of evaluating
 * the cloud SDKs again for each file (this halves the provider suites). Not for
 * suites whose libraries keep state per process: @azure/identity, for one,
 * reads its environment once, so libs/testing keeps isolation.
 */
export const SHARED_MODULES = { isolate: false } as const;

export function projectTestConfig(
  projectDir: string,
  projectName: string,
  extra: ViteUserConfig['test'] = {},
) {
  return defineConfig({
    root: projectDir,
    resolve: { conditions },
    // No "import" here: these become the test workers' `node --conditions`, and
    // Node adds "import" or "require" by how a module is loaded; forcing "import"
    // would hand a CommonJS require() of a dual package (pg → pg-pool) its ESM build.
    ssr: { resolve: { conditions: ssrConditions, externalConditions: ssrConditions } },
    test: {
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      environment: 'node',
      reporters: ['default', 'json'],
      // A second run on the other Node.js line (tools/src/test-on-other-line.ts) names its own report.
      outputFile: {
        json: path.join(
          workspaceRoot,
          'reports',
          'vitest',
          `${process.env['DRIFT_VITEST_REPORT'] ?? projectName}.json`,
        ),
      },
      testTimeout: 30_000,
      ...extra,
    },
  });
}
