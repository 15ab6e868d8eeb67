// One flat config for the whole workspace. The depConstraints below are the
// type × scope matrix from the design: apps wire libs, shared libs know no
// provider, and one provider scope never imports another.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/** Which tags a project with the given tag may depend on. */
export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'type:policy', onlyDependOnLibsWithTags: [] },
  // A deployment template's tests drive the built app through libs, never its source.
  { sourceTag: 'type:deploy', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:aws', onlyDependOnLibsWithTags: ['scope:aws', 'scope:shared'] },
  { sourceTag: 'scope:azure', onlyDependOnLibsWithTags: ['scope:azure', 'scope:shared'] },
  { sourceTag: 'scope:gcp', onlyDependOnLibsWithTags: ['scope:gcp', 'scope:shared'] },
  // The CLI is the one place that offers every cloud; it is still an app and may only use libs.
  {
    sourceTag: 'scope:all',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:aws', 'scope:azure', 'scope:gcp'],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/coverage',
      '**/reports',
      '.nx',
      // Deliberately broken projects, linted only by the boundary spec.
      'tools/boundary-fixtures/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints,
          // The CLI loads an adapter command's entry only when it runs (with its
          // cloud's SDK) but imports the SDK-free `./cli` entry at start.
          checkDynamicDependenciesExceptions: ['^@drift-detective/provider-(aws|azure|gcp)/cli$'],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // Leaving a field out with a rest pattern, or naming an unused argument, is deliberate.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // A test that just asserted a value exists may dereference it.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Test-runner configs share one root file; they are tooling, not project code.
    files: ['**/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
