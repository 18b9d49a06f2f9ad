import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the `source` condition,
// so tests run against src/ without a build step. Projects do not inherit the root's `ssr`
// block, so each repeats it: without it a package imported from another package resolves to
// its built dist/ and a test can pass against a stale build.
const resolve = { conditions: ['source', 'import', 'node', 'default'] };
const ssr = { resolve: { conditions: ['source'], externalConditions: ['source'] } };

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
          include: ['{packages,services}/*/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['{packages,services}/*/src/**/*.int.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          // One broker for the whole run: started here if none is reachable, stopped at the end.
          globalSetup: ['test/setup/kafka.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores and one broker: run integration files one or two at a time.
          maxWorkers: 2,
        },
      },
    ],
  },
});
