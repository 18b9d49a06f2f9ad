import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

// Workspace packages export their TypeScript sources under the `@revocation-fabric/source` condition,
// so tests run against src/ without a build step. Projects do not inherit the root's `ssr`
// block, so each gets it from `project`: without it a package imported from another package
// resolves to its built dist/ and a test can pass against a stale build.
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

/**
 * A project of the run: the workspace's resolution, and `test` run in `groupOrder`. Projects
 * with different worker limits need distinct groups (vitest 4): unit tests first, then
 * integration, then Keycloak.
 */
function project(
  groupOrder: number,
  test: NonNullable<TestProjectInlineConfiguration['test']>,
): TestProjectInlineConfiguration {
  return { resolve, ssr, test: { ...test, sequence: { groupOrder } } };
}

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      project(0, {
        name: 'unit',
        // test/readme compiles the READMEs' code blocks, test/contract checks the AsyncAPI
        // document, dashboards and alerts against the code: no broker needed.
        include: [
          '{packages,services}/*/src/**/*.test.ts',
          'test/readme/**/*.test.ts',
          'test/contract/**/*.test.ts',
        ],
        exclude: ['**/*.int.test.ts', KEYCLOAK_TESTS, '**/node_modules/**', '**/dist/**'],
      }),
      project(1, {
        name: 'integration',
        include: ['{packages,services}/*/src/**/*.int.test.ts', 'test/**/*.test.ts'],
        exclude: [
          KEYCLOAK_TESTS,
          'test/readme/**',
          'test/contract/**',
          '**/node_modules/**',
          '**/dist/**',
        ],
        // One broker for the whole run: started here if none is reachable, stopped at the end.
        globalSetup: ['test/setup/kafka.ts'],
        testTimeout: 120_000,
        hookTimeout: 180_000,
        // Two cores and one broker: run integration files one or two at a time.
        maxWorkers: 2,
      }),
      project(2, {
        name: 'keycloak',
        include: [KEYCLOAK_TESTS],
        exclude: ['**/node_modules/**', '**/dist/**'],
        // One Keycloak for the whole run (a start takes 35-45 s here), and the broker, since
        // Keycloak's signals travel on to Kafka through the gateway.
        globalSetup: ['test/setup/kafka.ts', 'test/setup/keycloak.ts'],
        testTimeout: 120_000,
        hookTimeout: 300_000,
        maxWorkers: 2,
      }),
    ],
  },
});
