// ESLint: typescript-eslint strict-type-checked, the size caps for src/ (files, functions, nesting),
// and the restricted globals and properties of the layer rules: D10 and the `fetch` part of D6
// (dependency-cruiser checks the layer graph itself); and `local/no-bare-status-code`, which keeps AnyLog status
// codes named.
import tseslint from 'typescript-eslint';
import statusCodes from './scripts/eslint/no-bare-status-code.mjs';

const restrictedEnv = {
  object: 'process',
  property: 'env',
  message: 'read the environment only in src/common/env.ts (rule D10)',
};
const restrictedExit = {
  object: 'process',
  property: 'exit',
  message: 'only src/bin/** may exit the process (rule D10)',
};
const fetchMessage = 'call fetch only in src/nodeclient/http.ts (rule D6)';
const restrictedFetch = { name: 'fetch', message: fetchMessage };
const restrictedGlobalFetch = { object: 'globalThis', property: 'fetch', message: fetchMessage };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bin/**',
      'coverage/**',
      '.tap/**',
      '.stryker/**',
      '**/*.mjs',
      '**/*.cjs',
      // input of the no-bare-status-code rule test: bare codes on purpose
      'test/fixtures/lint/**',
    ],
  },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { local: statusCodes },
    rules: {
      'local/no-bare-status-code': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      complexity: ['error', 12],
      'max-depth': ['error', 4],
      'max-params': ['error', 5],
      'max-nested-callbacks': ['error', 4],
      'max-lines': ['warn', 400],
      'no-restricted-properties': ['error', restrictedEnv, restrictedExit, restrictedGlobalFetch],
      'no-restricted-globals': ['error', restrictedFetch],
    },
  },
  {
    files: ['src/common/env.ts'],
    rules: { 'no-restricted-properties': ['error', restrictedExit, restrictedGlobalFetch] },
  },
  {
    files: ['src/bin/**/*.ts'],
    rules: { 'no-restricted-properties': ['error', restrictedEnv, restrictedGlobalFetch] },
  },
  {
    files: ['src/nodeclient/http.ts'],
    rules: {
      'no-restricted-globals': 'off',
      'no-restricted-properties': ['error', restrictedEnv, restrictedExit],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/require-await': 'off',
      // tap's t.test() returns a promise that tap itself tracks
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
);
