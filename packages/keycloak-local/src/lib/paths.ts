import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits at src/lib/ (sources, run by vitest) or dist/lib/ (built): two levels below the
// package in both cases, so the package and the repository are found without configuration.
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = resolve(packageRoot, '../..');

/** Fixed locations, all derived from where this package lives in the repository. */
export const paths = {
  packageRoot,
  repoRoot,
  /** Git-ignored distribution cache: `<repo>/.cache/keycloak/<version>/`. */
  cacheRoot: join(repoRoot, '.cache', 'keycloak'),
  /** Git-ignored home of every local instance: `<repo>/.keycloak/<name>/`. */
  instancesRoot: join(repoRoot, '.keycloak'),
} as const;
