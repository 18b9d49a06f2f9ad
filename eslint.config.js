import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Packages and services talk through public entry points only.
const boundaryPatterns = [
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
];

// The Kafka client is imported in exactly one file per package, so it can be replaced there.
const KAFKA_CLIENT_FILES = [
  'packages/verifier/src/kafka/kafkajs-client.ts',
  'packages/publisher/src/kafka/kafka-publisher.ts',
  'packages/testkit/src/lib/kafka-client.ts',
  'packages/operator/src/kafka-client.ts',
  'bench/src/lib/kafka.ts',
  'demo/src/stack.ts',
];

const KAFKA_CLIENT_PATH = {
  name: 'kafkajs',
  message: `The Kafka client lives in one file per package (${KAFKA_CLIENT_FILES.join(', ')}); use that package's API (tests: the testkit).`,
};

// OpenTelemetry's API too, in the libraries: one file per package makes their spans and asks
// whether an SDK is registered (tests and benchmarks register SDKs freely).
const TRACING_FILES = [
  'packages/verifier/src/tracing.ts',
  'packages/publisher/src/tracing/tracing.ts',
  'packages/service-runtime/src/http/server-span.ts',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.cache/**',
      '.kafka/**',
      '.keycloak/**',
      'bench/results/**',
      // Adopters' apps, outside the workspace: their dependencies exist only where
      // examples/run.sh installs them with npm, which then typechecks each one (strict tsc).
      'examples/**',
    ],
  },
  js.configs.recommended,
  // Type-aware rules (floating and misused promises above all) need every TypeScript file in a
  // project: package sources in their tsconfig.json, their tests in tsconfig.test.json, the
  // repository's own tests and benchmarks in tsconfig.tests.json.
  ...tseslint.configs.recommended,
  ...tseslint.configs.recommendedTypeCheckedOnly.map((config) => ({
    ...config,
    files: ['**/*.ts'],
  })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: [
          './tsconfig.tests.json',
          './packages/*/tsconfig.json',
          './packages/*/tsconfig.test.json',
          './packages/publisher/examples/tsconfig.json',
          './services/*/tsconfig.json',
          './services/*/tsconfig.test.json',
          './demo/tsconfig.json',
          './bench/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // JavaScript (this file, tooling) has no types to check.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
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
      'no-restricted-imports': [
        'error',
        {
          paths: [KAFKA_CLIENT_PATH],
          patterns: boundaryPatterns,
        },
      ],
    },
  },
  {
    // Libraries never print: they log through an injected logger.
    files: ['packages/*/src/**/*.ts'],
    // The local brokers' and Keycloak's command lines (and the shell they share) are the places
    // in packages/ whose job is to print.
    ignores: [
      '**/*.test.ts',
      'packages/kafka-local/src/cli.ts',
      'packages/kafka-local/src/local-tools/command-line.ts',
      'packages/keycloak-local/src/cli.ts',
    ],
    rules: { 'no-console': 'error' },
  },
  {
    // vitest's asymmetric matchers (expect.stringMatching, expect.any, …) are typed `any`.
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.fixture.ts', ...TRACING_FILES],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            KAFKA_CLIENT_PATH,
            {
              name: '@opentelemetry/api',
              message: `OpenTelemetry's API lives in one file per package (${TRACING_FILES.join(', ')}).`,
            },
          ],
          patterns: boundaryPatterns,
        },
      ],
    },
  },
  {
    files: KAFKA_CLIENT_FILES,
    rules: { 'no-restricted-imports': ['error', { patterns: boundaryPatterns }] },
  },
);
