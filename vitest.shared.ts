// Shared Vitest settings: every project resolves workspace libs from source
// (the "development" export condition) and writes a JSON report that the test
// summary adds up.
import path from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const workspaceRoot = import.meta.dirname;
const conditions = ['development', 'node', 'import', 'default'];

export function projectTestConfig(
  projectDir: string,
  projectName: string,
  extra: ViteUserConfig['test'] = {},
) {
  return defineConfig({
    root: projectDir,
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
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
