import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the `@revocation-fabric/source` condition,
// so tests run against src/ without a build step. Projects do not inherit the root's `ssr`
// block, so each repeats it: without it a package imported from another package resolves to
// its built dist/ and a test can pass against a stale build.
const resolve = { conditions: ['@revocation-fabric/source', 'import', 'node', 'default'] };
const ssr = {
  resolve: {
    conditions: ['@revocation-fabric/source'],
    externalConditions: ['@revocation-fabric/source'],
  },
};
// Tests against the real Keycloak live in files whose names contain `keycloak`, so they can be
// run alone (`pnpm test:keycloak`) and only their project starts a Keycloak.
const KEYCLOAK_TESTS = '**/*keycloak*.test.ts';

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          // Unit tests first, then integration: vitest 4 needs distinct groups for projects
          // with different worker limits.
          sequence: { groupOrder: 0 },
          // test/readme compiles the READMEs' code blocks: no broker needed.
          include: ['{packages,services}/*/src/**/*.test.ts', 'test/readme/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', KEYCLOAK_TESTS, '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['{packages,services}/*/src/**/*.int.test.ts', 'test/**/*.test.ts'],
          exclude: [KEYCLOAK_TESTS, 'test/readme/**', '**/node_modules/**', '**/dist/**'],
          // One broker for the whole run: started here if none is reachable, stopped at the end.
          globalSetup: ['test/setup/kafka.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores and one broker: run integration files one or two at a time.
          maxWorkers: 2,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'keycloak',
          sequence: { groupOrder: 2 },
          include: [KEYCLOAK_TESTS],
          exclude: ['**/node_modules/**', '**/dist/**'],
          // One Keycloak for the whole run (a start takes 35-45 s here), and the broker, since
          // Keycloak's signals travel on to Kafka through the gateway.
          globalSetup: ['test/setup/kafka.ts', 'test/setup/keycloak.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
