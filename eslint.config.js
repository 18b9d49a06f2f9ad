import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', '.kafka/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // Packages and services talk through public entry points only.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@revocation-fabric/*/src/*',
                '@revocation-fabric/*/dist/*',
                '@revocation-fabric/*/src',
                '@revocation-fabric/*/dist',
              ],
              message: 'Import a package through its public entry point, not its internals.',
            },
            {
              group: ['**/packages/*/src/**', '**/services/*/src/**'],
              message: 'Cross-package relative imports are forbidden; depend on the package.',
            },
          ],
        },
      ],
    },
  },
  {
    // Libraries never print: they log through an injected logger.
    files: ['packages/*/src/**/*.ts'],
    // kafka-local's command line is the one place in packages/ whose job is to print.
    ignores: ['**/*.test.ts', 'packages/kafka-local/src/cli.ts'],
    rules: { 'no-console': 'error' },
  },
);
