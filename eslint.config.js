import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules', 'coverage', 'docs', 'test-artifacts', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only src/main.ts and test support read the environment.',
        },
        // security.md: bcrypt through its async API only, so a hash never blocks the event loop.
        ...['hashSync', 'compareSync', 'genSaltSync'].map((property) => ({
          object: 'bcrypt',
          property,
          message: 'Use the async bcrypt API: a synchronous hash blocks every other request.',
        })),
      ],
    },
  },
  {
    // The hashing pool's worker thread: there a synchronous hash blocks nothing but itself.
    files: ['src/services/credentials/bcrypt-worker.js'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only src/main.ts and test support read the environment.',
        },
      ],
    },
  },
  {
    files: ['src/main.ts', 'src/cli/**', 'test/**', 'scripts/**', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['machines/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../src/*', '**/src/**'], message: 'Machines are pure: no imports from src/.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'Time comes in events or input.',
        },
      ],
    },
  },
  prettier,
);
